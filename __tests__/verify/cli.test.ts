// `buildx-guard verify` as users run it: node dist/cli.js against the real registry, exit codes and output.
import { startRegistry, TestRegistry } from '../support/registry';
import { imageManifest, MT, PushClient } from '../support/oci';
import { buildxIndex } from '../registry/helpers/images';
import { runCli } from '../registry/helpers/cli';

let registry: TestRegistry;
let plain: string;
let buildx: string;
beforeAll(async () => {
  registry = await startRegistry();
  const push = new PushClient(registry.url);
  await push.push('cli/plain', ['v1'], imageManifest('linux/amd64', 'docker'));
  await push.push('cli/buildx', ['v1'], buildxIndex(['linux/amd64'], 'annotation'));
  plain = `${registry.host}/cli/plain:v1`;
  buildx = `${registry.host}/cli/buildx:v1`;
});
afterAll(() => registry.stop());

describe('buildx-guard verify', () => {
  it('exits 0 and prints the JSON report when every image meets the expectation', async () => {
    const run = await runCli([
      'verify',
      '--format',
      'json',
      '--expect',
      'manifest',
      '--platforms',
      'linux/amd64',
      plain,
    ]);
    expect([run.status, run.stderr]).toEqual([0, '']);
    const report = JSON.parse(run.stdout);
    expect(report).toEqual({
      images: [
        {
          ref: plain,
          digest: expect.stringMatching(/^sha256:[a-f0-9]{64}$/),
          mediaType: MT.dockerManifest,
          ok: true,
          children: [],
          problems: [],
        },
      ],
    });
  });

  it('exits 1 on a violation and prints the verdict, the tree and the fix', async () => {
    const run = await runCli(['verify', buildx]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`FAIL ${buildx}`);
    expect(lines[1]).toMatch(
      /^ {2}application\/vnd\.oci\.image\.index\.v1\+json \(OCI image index\) sha256:[a-f0-9]{64}$/,
    );
    expect(lines[2]).toMatch(/^ {2}├─ linux\/amd64 {6}image {7}sha256:[a-f0-9]{64} {2}present$/);
    expect(lines[3]).toMatch(/^ {2}└─ unknown\/unknown {2}attestation sha256:[a-f0-9]{64} {2}present$/);
    expect(lines[4]).toMatch(
      /^ {2}attestation-child: Child sha256:[a-f0-9]{64} \(unknown\/unknown, attestation\) is an attestation manifest for sha256:/,
    );
    expect(lines[5]).toMatch(/^ {2}fix: Build without attestations/);
    expect(run.stderr).toBe('');
  });

  it('exits 0 for the same index when attestations are allowed', async () => {
    const run = await runCli(['verify', '--attestations', 'allow', '--expect', 'index', buildx]);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(`OK   ${buildx}`);
  });

  it('exits 1 when any one image fails, reporting all of them in order', async () => {
    const missing = `${registry.host}/cli/none:v1`;
    const run = await runCli(['verify', '--format=json', plain, missing, buildx]);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(
      report.images.map((image: { ref: string; ok: boolean; problems: { code: string }[] }) => [
        image.ref,
        image.ok,
        image.problems.map((p) => p.code),
      ]),
    ).toEqual([
      [plain, true, []],
      [missing, false, ['not-found']],
      [buildx, false, ['attestation-child']],
    ]);
  });

  it.each([
    [['verify'], 'error: Invalid images: "". List at least one image reference, e.g. ghcr.io/owner/app:v1.'],
    [
      ['verify', 'Reg.io/UPPER:v1'],
      'error: Invalid images: "Reg.io/UPPER:v1". Repository names must be lowercase.',
    ],
    [
      ['verify', '--expect', 'list', 'a/b'],
      'error: Invalid expect: "list". Use one of: auto, manifest, index.',
    ],
    [['verify', '--format', 'yaml', 'a/b'], 'error: Invalid format: "yaml". Use one of: text, json.'],
    [
      ['verify', '--nope', 'a/b'],
      'error: Invalid option: "--nope". See buildx-guard verify --help for the options.',
    ],
    [
      ['verify', '--insecure-registry', 'http://x', 'a/b'],
      'error: Invalid insecure-registries: "http://x". Use host or host:port',
    ],
  ])('exits 2 on bad usage %j, before any request', async (args, message) => {
    const run = await runCli(args);
    expect([run.status, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 when it cannot reach the registry, naming the request', async () => {
    const closed = await startRegistry();
    const host = closed.host;
    await closed.stop();
    const run = await runCli(['verify', `${host}/cli/plain:v1`]);
    expect([run.status, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toContain(
      `error: GET https://${host}/v2/cli/plain/manifests/v1: connect ECONNREFUSED ${host} (gave up after 4 attempts)`,
    );
  });

  it('prints its usage for --help and exits 0', async () => {
    const run = await runCli(['verify', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: buildx-guard verify \[options\] REF\.\.\./);
    expect(run.stdout).toContain('--insecure-registry HOST');
  });
});
