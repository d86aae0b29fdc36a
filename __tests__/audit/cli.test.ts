// audit and repair as users and runners run them: dist/cli.js and dist/index.js (run npm run build first).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, TestRegistry } from '../support/registry';
import { imageManifest, PushClient } from '../support/oci';
import { buildxIndex } from '../registry/helpers/images';
import { cleanEnv, runCli, runNode } from '../registry/helpers/cli';
import { runnerFiles } from '../registry/helpers/runner-files';

let registry: TestRegistry;
let push: PushClient;
const single = buildxIndex(['linux/amd64'], 'annotation');
beforeAll(async () => {
  registry = await startRegistry();
  push = new PushClient(registry.url);
  await push.push('cli/good', ['v1', 'v2'], imageManifest('linux/amd64', 'oci'));
  await push.push('cli/bloat', ['v1'], single);
  const many = imageManifest('linux/amd64', 'oci');
  for (const blob of many.blobs) await push.pushBlob('cli/many', blob);
  await Promise.all(Array.from({ length: 150 }, (_, i) => push.pushManifest('cli/many', `t${i}`, many)));
});
afterAll(() => registry.stop());

describe('buildx-guard audit', () => {
  it('exits 0 for a clean repository and prints its table', async () => {
    const run = await runCli(['audit', `${registry.host}/cli/good`]);
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(run.stdout).toContain(`${registry.host}/cli/good`);
    expect(run.stdout).toMatch(/v1\s+manifest\s+sha256:\S+\s+-\s+OK/);
    expect(run.stdout).toContain('totals: 2 tags (2 manifest), 0 failing; 0 attestation manifests (0 B)');
  });

  it('exits 1 on a violation, with the JSON shape and a keep-set file', async () => {
    const keepSet = join(mkdtempSync(join(tmpdir(), 'bxg-keep-')), 'keep.txt');
    const run = await runCli([
      'audit',
      '--format',
      'json',
      '--keep-set',
      keepSet,
      `${registry.host}/cli/bloat`,
    ]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.repositories[0]).toMatchObject({
      repository: `${registry.host}/cli/bloat`,
      tags: [{ tag: 'v1', digest: single.descriptor.digest, ok: false, attestations: 1, missing: [] }],
      totals: { tags: 1, failing: 1, attestationManifests: 1 },
    });
    const lines = readFileSync(keepSet, 'utf8').trimEnd().split('\n');
    expect(lines).toEqual([...lines].sort());
    expect(lines).toContain(single.children[1].descriptor.digest);
    expect(lines).toHaveLength(7);
    expect(run.stderr).toContain(`Keep-set: 7 digests in ${keepSet}.`);
  });

  it('puts a progress count on stderr for long runs, never a line per tag', async () => {
    const run = await runCli(['audit', '--format', 'json', `${registry.host}/cli/many`]);
    expect(run.status).toBe(0);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `Auditing 150 tags of ${registry.host}/cli/many.`,
      `${registry.host}/cli/many: 100/150 tags audited.`,
    ]);
    expect(JSON.parse(run.stdout).repositories[0].totals.tags).toBe(150);
  });

  it('exits 2 when it could not check, and on a bad input', async () => {
    const down = await runCli(['audit', '127.0.0.1:1/x/y'], cleanEnv({ BUILDX_GUARD_RETRIES: '0' }));
    expect(down.status).toBe(2);
    const bad = await runCli(['audit', `${registry.host}/x@sha256:${'a'.repeat(64)}`]);
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining('Invalid repositories')]);
    const none = await runCli(['audit']);
    expect([none.status, none.stderr]).toEqual([2, expect.stringContaining('List at least one repository')]);
  });
});

describe('mode: audit and mode: repair in the action', () => {
  const action = (inputs: Record<string, string>) => {
    const files = runnerFiles();
    const env = cleanEnv({ ...files.env, RUNNER_TEMP: mkdtempSync(join(tmpdir(), 'bxg-temp-')) });
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
    return runNode('dist/index.js', [], env).then((run) => ({ ...run, files }));
  };

  it('audit writes the keep-set, sets its path and the report, and fails the step on a violation', async () => {
    const run = await action({
      mode: 'audit',
      repositories: `${registry.host}/cli/bloat\n${registry.host}/cli/good`,
    });
    expect(run.status).toBe(1);
    const outputs = run.files.outputs();
    expect(readFileSync(outputs['keep-set'], 'utf8').split('\n').filter(Boolean)).toHaveLength(7 + 3);
    expect(JSON.parse(outputs.report).repositories).toHaveLength(2);
    expect(run.files.summary()).toContain('### buildx-guard audit');
    expect(run.files.summary()).toContain(`| ${registry.host}/cli/bloat | 1 | 1 | 1 (`);
    expect(run.stdout).toContain('::error::1 tag(s) do not meet the expectation');
  });

  it('repair strip-attestations is a dry run unless apply is true', async () => {
    const top = buildxIndex(['linux/amd64'], 'artifact');
    await push.push('cli/strip', ['v1'], top);
    const ref = `${registry.host}/cli/strip:v1`;
    const dry = await action({ mode: 'repair', repair: 'strip-attestations', images: ref });
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(`would put ${top.children[0].descriptor.digest}`);
    expect(JSON.parse(dry.files.outputs().report).actions[0].status).toBe('planned');
    const applied = await action({
      mode: 'repair',
      repair: 'strip-attestations',
      images: ref,
      apply: 'true',
    });
    expect(applied.status).toBe(0);
    expect(JSON.parse(applied.files.outputs().report).results[0].outcome).toBe('repaired');
    const cli = await runCli(['verify', '--expect', 'manifest', ref]);
    expect(cli.status).toBe(0);
  });

  it('repair on the CLI: a usage error names the subcommands', async () => {
    const run = await runCli(['repair', 'fix', 'x']);
    expect([run.status, run.stderr]).toEqual([
      2,
      expect.stringContaining('Use buildx-guard repair strip-attestations REF'),
    ]);
  });
});
