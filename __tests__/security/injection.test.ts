// Class 1: a hostile registry (on 127.0.0.1) puts newlines, workflow commands, escape sequences and Markdown
// into every field it controls. Neither the runner's log, the terminal, nor the job summary may obey them.
import { cleanEnv, runCli, runNode } from '../registry/helpers/cli';
import { runnerFiles } from '../registry/helpers/runner-files';
import { startHostileRegistry, HostileRegistry } from '../support/hostile-registry';
import { MT } from '../support/oci';

const INJECT = '\n::set-env name=NODE_OPTIONS::--require=/tmp/pwn.js\n::add-mask::x\n  ::stop-commands::t';
const ESC = '\x1b[2J\x1b]0;owned\x07\u009b31m';
const MARKUP = '<img src=x onerror=alert(1)> [click](https://evil.example) | forged | cell |';

let registry: HostileRegistry;
let ref: string;
beforeAll(async () => {
  registry = await startHostileRegistry();
  const config = registry.blob('evil/app', { os: 'linux', architecture: 'amd64' });
  const image = {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, digest: config, size: 2 },
    layers: [],
  };
  const child = registry.manifest('evil/app', MT.ociManifest, image);
  registry.manifest(
    'evil/app',
    // A generic type, so the body's own mediaType is what gets reported.
    'application/json',
    {
      schemaVersion: 2,
      mediaType: `${MT.ociIndex}${INJECT}${ESC}`,
      manifests: [
        {
          mediaType: MT.ociManifest,
          digest: child,
          size: 10,
          platform: { os: `linux${INJECT}`, architecture: `amd64${ESC}${MARKUP}` },
        },
        {
          mediaType: MT.ociManifest,
          digest: child,
          size: 10,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: {
            'vnd.docker.reference.type': 'attestation-manifest',
            'vnd.docker.reference.digest': `sha256:${'a'.repeat(64)}${INJECT}${ESC}${MARKUP}`,
          },
        },
      ],
    },
    ['v1'],
  );
  ref = `${registry.host}/evil/app:v1`;
});
afterAll(() => registry.stop());

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

/** Lines of stdout the runner would take as a command the action did not mean to send. */
function forgedCommands(stdout: string): string[] {
  return (
    stdout
      .split(/\r?\n|\r/)
      .filter((line) => /^\s*::/.test(line) || line.includes('##['))
      // The action's own commands: properties escaped (no raw `:`), so outside text cannot end them early.
      .filter((line) => !/^::(error|warning|notice|debug|group|endgroup)( [^:]*)?::/.test(line))
  );
}

describe('a hostile registry against mode: verify', () => {
  it('cannot send workflow commands, escape sequences or markup through the log and the summary', async () => {
    const files = runnerFiles();
    const env = cleanEnv({
      ...files.env,
      INPUT_MODE: 'verify',
      INPUT_IMAGES: ref,
      INPUT_ATTESTATIONS: 'allow',
    });
    const run = await runNode('dist/index.js', [], env);
    expect(run.status).toBe(1);
    // The hostile strings are there, visibly escaped, and the verdict still fails on them.
    expect(run.stdout).toContain('\\x3a:set-env name=NODE_OPTIONS');
    expect(forgedCommands(run.stdout)).toEqual([]);
    expect(run.stdout).not.toMatch(RAW_CONTROL);

    const summary = files.summary();
    expect(summary).not.toMatch(/<(?!br>)/);
    expect(summary).not.toContain('](https://');
    expect(summary).not.toMatch(RAW_CONTROL);
    // One row per image: a hostile pipe or newline adds no row or cell.
    const rows = summary.split('\n').filter((line) => line.startsWith('|'));
    expect(rows).toHaveLength(3);
    // The report output is JSON that parses to the registry's strings, with nothing raw in it.
    const report = files.outputs().report;
    expect(report).not.toMatch(/[\x7f-\x9f]/);
    expect(JSON.parse(report).images[0].children[0].platform).toContain('::set-env');
  });
});

describe('a hostile registry against buildx-guard verify', () => {
  it.each([['text'], ['json']])('prints no escape sequence in --format %s', async (format) => {
    const run = await runCli(['verify', '--format', format, '--attestations', 'allow', ref]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('set-env');
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    if (format === 'text') expect(forgedCommands(run.stdout)).toEqual([]);
  });
});

describe('a hostile repository against lint', () => {
  it('cannot send workflow commands or escape sequences through file names, YAML values or inline ignores', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { runAction, runCli: runCliIn } = await import('../support/action-runner');
    const root = mkdtempSync(join(tmpdir(), 'bxg-hostile-repo-'));
    mkdirSync(join(root, '.github/workflows'), { recursive: true });
    const name = `evil\x1b[2J\u009b31m::set-env name=NODE_OPTIONS::x.yml`;
    writeFileSync(
      join(root, '.github/workflows', name),
      [
        'on: push',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        `      - run: docker buildx build --push -t "acme/app\x1b]0;t\x07:1" . # buildx-guard: ignore[\x1b[2J::add-mask::x] why`,
        '',
      ].join('\n'),
    );
    const cli = await runCliIn(['lint'], { cwd: root });
    expect(cli.code).toBe(1);
    expect(cli.stdout + cli.stderr).toContain('\\x1b[2J');
    expect(cli.stdout + cli.stderr).not.toMatch(RAW_CONTROL);

    const action = await runAction({ mode: 'lint' }, { cwd: root, env: { GITHUB_WORKSPACE: root } });
    expect(action.stdout).not.toMatch(RAW_CONTROL);
    expect(forgedCommands(action.stdout)).toEqual([]);
    expect(action.summary).not.toMatch(RAW_CONTROL);
  });
});
