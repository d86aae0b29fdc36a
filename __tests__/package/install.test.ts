// The npm package as a user gets it: `npm pack`, then `npm install -g` of the tarball into a fresh prefix with an
// empty cache and --offline (so nothing can be downloaded), then the installed `buildx-guard` run from another
// directory. Needs dist/ (npm run build).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../support/action-runner';
import { startRegistry, TestRegistry } from '../support/registry';
import { imageManifest, PushClient } from '../support/oci';
import { buildxIndex } from '../registry/helpers/images';
import { cleanEnv } from '../registry/helpers/cli';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const work = mkdtempSync(join(tmpdir(), 'bxg-install-'));
const prefix = join(work, 'prefix');
const bin = join(prefix, 'bin', 'buildx-guard');
/** Not the repository: what the installed command finds must come from the package. */
const elsewhere = join(work, 'elsewhere');
let packed: string[] = [];
let registry: TestRegistry;

const npmEnv = () => cleanEnv({ npm_config_cache: join(work, 'cache'), npm_config_update_notifier: 'false' });

beforeAll(async () => {
  const [pack] = JSON.parse(
    execFileSync(npm, ['pack', '--json', '--pack-destination', work], {
      cwd: ROOT,
      env: npmEnv(),
      encoding: 'utf8',
    }),
  ) as { filename: string; files: { path: string }[] }[];
  packed = pack.files.map((file) => file.path);
  await promisify(execFile)(
    npm,
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--offline',
      '--no-audit',
      '--no-fund',
      join(work, pack.filename),
    ],
    { cwd: work, env: npmEnv() },
  );
  cpSync(join(ROOT, '__tests__', 'fixtures', 'lint', 'repo'), elsewhere, { recursive: true });

  registry = await startRegistry();
  const push = new PushClient(registry.url);
  await push.push('pkg/plain', ['v1'], imageManifest('linux/amd64', 'docker'));
  await push.push('pkg/buildx', ['v1'], buildxIndex(['linux/amd64'], 'annotation'));
}, 120_000);
afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

function run(args: string[], input?: string) {
  const result = spawnSync(bin, args, { cwd: elsewhere, env: cleanEnv(), encoding: 'utf8', input });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the npm package', () => {
  it('holds the bundle, the action, the docs and the licences, and nothing else', () => {
    const allowed = /^(dist\/|action\.yml$|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$)/;
    expect(packed.filter((path) => !allowed.test(path))).toEqual([]);
    for (const path of [
      'dist/index.js',
      'dist/cli.js',
      'dist/licenses.txt',
      'dist/tree-sitter-bash.wasm',
      'LICENSE',
    ])
      expect(packed).toContain(path);
  });

  it('installs without dependencies of its own', () => {
    const installed = join(prefix, 'lib', 'node_modules', 'buildx-guard');
    expect(existsSync(join(installed, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
  });

  it('prints the version from any directory', () => {
    expect(run(['--version'])).toEqual({ code: 0, stdout: `buildx-guard ${version}\n`, stderr: '' });
  });

  it('prints its usage on stderr and exits 2 when given no command', () => {
    const { code, stdout, stderr } = run([]);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(/^Usage: buildx-guard <command>/);
  });

  it('is the action too, which logs the version the CLI prints', () => {
    const action = join(prefix, 'lib', 'node_modules', 'buildx-guard', 'dist', 'index.js');
    const result = spawnSync(process.execPath, [action], {
      cwd: elsewhere,
      env: cleanEnv({ INPUT_MODE: 'bogus' }),
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    const [first, second] = result.stdout.split('\n');
    expect(first).toBe(`buildx-guard ${version}`);
    expect(second).toMatch(/^::error::Invalid mode: "bogus"\. Use one of: build, verify, /);
  });

  it('lints a repository, its wasm found beside the installed bundle', () => {
    const { code, stdout } = run(['lint', '.', '--format', 'json']);
    expect(code).toBe(1);
    const { findings } = JSON.parse(stdout) as { findings: { file: string }[] };
    expect(findings.map((finding) => finding.file)).toContain('.forgejo/workflows/release.yaml');
  });

  it('lints a workflow piped to `lint -`', () => {
    const workflow = readFileSync(join(elsewhere, '.forgejo', 'workflows', 'release.yaml'), 'utf8');
    const { code, stdout } = run(['lint', '-'], workflow);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^<stdin>:13:15: error single-platform-attestations: /);
  });

  it('verifies what a registry serves', () => {
    expect(run(['verify', '--expect', 'manifest', `${registry.host}/pkg/plain:v1`]).code).toBe(0);
    const failed = run(['verify', `${registry.host}/pkg/buildx:v1`]);
    expect(failed.code).toBe(1);
    expect(failed.stdout.split('\n')[0]).toBe(`FAIL ${registry.host}/pkg/buildx:v1`);
  });
});
