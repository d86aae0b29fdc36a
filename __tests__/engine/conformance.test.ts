// The docker test double against the real engine: the same buildx argv through both, compared on what build mode
// relies on. The double emulates buildx 0.13.1 here (the engine's version) and a docker-container builder, so
// driver-specific details (the image ID of an index, containerimage.config.digest) are left out on purpose.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, TestRegistry } from '../support/registry';
import { DOUBLE_BIN } from '../support/action-runner';
import { describeEngine, docker, DockerResult, scratchContext, ScratchContext } from '../support/engine';
import { served, Served } from '../e2e/registry-view';

let registry: TestRegistry;
let app: ScratchContext;
let broken: ScratchContext;
let work: string;

beforeAll(async () => {
  registry = await startRegistry();
  app = scratchContext({ 'hello.txt': 'conformance\n' });
  broken = scratchContext({}, 'FROM scratch\nCOPPY . /\n');
  work = mkdtempSync(join(tmpdir(), 'bxg-conformance-'));
});
afterAll(async () => {
  await registry?.stop();
  app?.remove();
  broken?.remove();
  rmSync(work, { recursive: true, force: true });
});

function runDouble(args: string[]): Promise<DockerResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(DOUBLE_BIN, 'docker'), args, {
      env: { PATH: process.env.PATH, HOME: work, BXG_BUILDX_VERSION: '0.13.1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The class of a failure, as build mode tells them apart. */
function errorClass(result: DockerResult): string {
  if (result.code === 0) return 'ok';
  if (/unknown flag|unknown shorthand flag/.test(result.stderr)) return `exit ${result.code}: unknown flag`;
  if (/duplicate|multiple .*attest/i.test(result.stderr)) return `exit ${result.code}: duplicate attestation`;
  if (/ERROR/.test(result.stderr)) return `exit ${result.code}: build failed`;
  return `exit ${result.code}: other`;
}

/** What the registry serves, down to each child's media type and platform or reference type. */
function shape(top: Served) {
  return {
    status: top.status,
    mediaType: top.mediaType,
    children: (top.body.manifests ?? [])
      .map((m) => {
        const platform = [m.platform?.os, m.platform?.architecture, m.platform?.variant].filter(Boolean);
        const reference = m.annotations?.['vnd.docker.reference.type'];
        return `${m.mediaType} ${platform.join('/')}${reference ? ` ${reference}` : ''}`;
      })
      .sort(),
  };
}

const BUILD_MODE_KEYS = [
  'buildx.build.ref',
  'containerimage.descriptor',
  'containerimage.digest',
  'image.name',
];

interface Observed {
  class: string;
  pushed?: ReturnType<typeof shape>;
  /** Keys build mode reads, as present in the metadata file. */
  metadataKeys: string[];
  descriptorMediaType?: string;
  /** The descriptor's platform: BuildKit names it for a plain manifest only. */
  descriptorPlatform?: string;
  iidFile: boolean;
  /** For a plain manifest buildx's image ID is the config digest. */
  iidIsConfig?: boolean;
}

async function observe(
  who: 'double' | 'engine',
  name: string,
  args: (files: { metadata: string; iid: string; tag: string }) => string[],
): Promise<Observed> {
  const repository = `conformance/${name}-${who}`;
  const files = {
    metadata: join(work, `${name}-${who}.json`),
    iid: join(work, `${name}-${who}.iid`),
    tag: `${registry.host}/${repository}:1`,
  };
  const argv = ['buildx', 'build', '--metadata-file', files.metadata, ...args(files)];
  const result = who === 'double' ? await runDouble(argv) : await docker(argv);
  const metadata = existsSync(files.metadata)
    ? (JSON.parse(readFileSync(files.metadata, 'utf8')) as Record<string, unknown>)
    : {};
  const descriptor = metadata['containerimage.descriptor'] as
    { mediaType: string; platform?: { os: string; architecture: string } } | undefined;
  const top = argv.includes('--push') ? await served(registry.host, repository, '1') : undefined;
  const iid = existsSync(files.iid) ? readFileSync(files.iid, 'utf8').trim() : undefined;
  return {
    class: errorClass(result),
    pushed: top && shape(top),
    metadataKeys: BUILD_MODE_KEYS.filter((key) => key in metadata),
    descriptorMediaType: descriptor?.mediaType,
    descriptorPlatform:
      descriptor?.platform && `${descriptor.platform.os}/${descriptor.platform.architecture}`,
    iidFile: iid !== undefined,
    iidIsConfig: top?.body.config ? iid === top.body.config.digest : undefined,
  };
}

const push = (files: { tag: string; iid: string }) => ['--iidfile', files.iid, '-t', files.tag, '--push'];

describeEngine('the docker test double conforms to the real engine', () => {
  it.each<[string, (files: { metadata: string; iid: string; tag: string }) => string[]]>([
    ['plain', (f) => ['--provenance=false', '--sbom=false', ...push(f), app.dir]],
    ['defaults', (f) => [...push(f), app.dir]],
    [
      'multi-stripped',
      (f) => ['--platform', 'linux/amd64,linux/arm64', '--provenance=false', ...push(f), app.dir],
    ],
    ['multi-defaults', (f) => ['--platform', 'linux/amd64,linux/arm64', ...push(f), app.dir]],
    ['local-output', () => ['--output', `type=local,dest=${join(work, 'local-out')}`, app.dir]],
    ['call-flag', (f) => ['--call', 'check', ...push(f), app.dir]],
    [
      'duplicate-attest',
      (f) => ['--attest', 'type=provenance,disabled=true', '--provenance=false', ...push(f), app.dir],
    ],
    ['syntax-error', (f) => [...push(f), broken.dir]],
  ])('%s', async (name, args) => {
    const engine = await observe('engine', name, args);
    const double = await observe('double', name, args);
    expect(double).toEqual(engine);
  });
});
