// The verify output the docs show is what verify prints: each sample is replayed against the real registry, with
// the registry's address shown as registry.example.com and every digest shortened to `sha256:…`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyCommand } from '../../src/modes/verify/mode';
import { cliLog } from '../../src/core/output/log';
import { attestationManifest, imageManifest, index, PushClient } from '../support/oci';
import { startRegistry, TestRegistry } from '../support/registry';
import { fencedBlocks, readRepoFile } from './markdown';

const SHOWN_HOST = 'registry.example.com';
const REPO = 'acme/app';
const TAG = '1.4.2';

/** The text block of `doc` that starts with `$ <command>`, split into the command and what it prints. */
function sample(doc: string, command: string): string | undefined {
  const block = fencedBlocks(readRepoFile(doc)).find(
    (b) => b.lang === 'text' && b.body.startsWith(`$ ${command}\n`),
  );
  return block?.body.slice(command.length + 3);
}

/** Pushes what buildx ≥0.10 pushes for a single-platform build by default: an index with an attestation child. */
async function pushAttestedImage(registry: TestRegistry, damage?: 'delete-image') {
  const client = new PushClient(registry.url);
  const image = imageManifest('linux/amd64', 'oci');
  await client.push(REPO, [TAG], index([image, attestationManifest(image.descriptor, 'annotation')]));
  if (damage === 'delete-image') await client.deleteManifest(REPO, image.descriptor.digest);
}

async function verify(registry: TestRegistry, args: string[]) {
  let stdout = '';
  const diagnostics: string[] = [];
  const code = await verifyCommand([...args, `${registry.host}/${REPO}:${TAG}`], {
    log: cliLog({ write: (text) => diagnostics.push(text) }),
    stdout: (text) => (stdout += text),
    color: false,
    cwd: process.cwd(),
  });
  const shown = stdout
    .split(registry.host)
    .join(SHOWN_HOST)
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:…');
  return { code, shown, diagnostics };
}

describe.each([
  {
    doc: 'README.md',
    args: ['--expect', 'manifest'],
    damage: undefined,
  },
  {
    doc: 'TROUBLESHOOTING.md',
    args: ['--attestations', 'allow'],
    damage: 'delete-image' as const,
  },
])('the sample in $doc of verify $args', ({ doc, args, damage }) => {
  let registry: TestRegistry;
  let dockerConfig: string;
  const savedDockerConfig = process.env.DOCKER_CONFIG;

  beforeAll(async () => {
    // An empty docker config: the sample must not depend on the machine's credentials.
    dockerConfig = mkdtempSync(join(tmpdir(), 'docker-config-'));
    process.env.DOCKER_CONFIG = dockerConfig;
    registry = await startRegistry();
  });

  afterAll(async () => {
    await registry.stop();
    if (savedDockerConfig === undefined) delete process.env.DOCKER_CONFIG;
    else process.env.DOCKER_CONFIG = savedDockerConfig;
    rmSync(dockerConfig, { recursive: true, force: true });
  });

  it('is what verify prints, with exit code 1', async () => {
    const expected = sample(doc, ['buildx-guard verify', ...args, `${SHOWN_HOST}/${REPO}:${TAG}`].join(' '));
    expect(expected).toBeDefined();
    await pushAttestedImage(registry, damage);
    const result = await verify(registry, args);
    expect(result.shown).toBe(expected);
    expect(result.code).toBe(1);
    expect(result.diagnostics).toEqual([]);
  });
});
