// Class 2: a repository (a pull request's) cannot make lint read or write outside it, through committed
// symbolic links or predictable temporary names, nor make an error quote a secret. Crafted repos in temp dirs.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_LINT_POLICY, loadLintPolicy } from '../../src/modes/lint/config';
import { fixFiles } from '../../src/modes/lint/fix';
import { lintRepository } from '../../src/modes/lint/index';
import { cliLog } from '../../src/core/output/log';
import { runAction } from '../support/action-runner';

const FIXABLE =
  'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker buildx build --push -t acme/app:1 .\n';
const SECRET = `-----BEGIN OPENSSH PRIVATE KEY-----\n${'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn'.repeat(4)}\n-----END OPENSSH PRIVATE KEY-----\n`;
const KEY_MATERIAL = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn';

/** A repository and, beside it, the user's files an attacker wants to read or overwrite. */
function crafted(files: Record<string, string>) {
  const base = mkdtempSync(join(tmpdir(), 'bxg-contain-'));
  const root = join(base, 'repo');
  const outside = join(base, 'home');
  mkdirSync(root);
  mkdirSync(outside);
  const victim = join(outside, '.bashrc');
  writeFileSync(victim, 'original\n');
  const secret = join(outside, 'id_ed25519');
  writeFileSync(secret, SECRET);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { root, outside, victim, secret };
}

const silent = cliLog({ write: () => undefined });
const lint = (root: string) => lintRepository({ root, paths: [], policy: DEFAULT_LINT_POLICY, log: silent });

describe('lint --fix', () => {
  it('does not write through a committed symlink at the old predictable temporary name', async () => {
    const repo = crafted({ '.github/workflows/a.yml': FIXABLE });
    const file = join(repo.root, '.github/workflows/a.yml');
    // The name `--fix` used to write to, as an attacker would commit it for each likely pid.
    symlinkSync(repo.victim, `${file}.${process.pid}.fix`);
    const result = await lint(repo.root);
    expect(result.fixes.size).toBe(1);
    expect(fixFiles(result.fixes, repo.root)).toBe(1);
    expect(readFileSync(repo.victim, 'utf8')).toBe('original\n');
    expect(readFileSync(file, 'utf8')).toContain('--provenance=false');
    expect(lstatSync(file).isFile()).toBe(true);
  });

  it('neither reads nor rewrites workflows outside the repository through a symlinked .github/workflows', async () => {
    const repo = crafted({});
    const elsewhere = join(repo.outside, 'workflows');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'a.yml'), FIXABLE);
    mkdirSync(join(repo.root, '.github'));
    symlinkSync(elsewhere, join(repo.root, '.github/workflows'));
    const result = await lint(repo.root);
    expect(result.fixes.size).toBe(0);
    expect(result.findings).toEqual([
      expect.objectContaining({
        file: '.github/workflows/a.yml',
        rule: 'parse-error',
        message: expect.stringContaining('leads outside the repository through a symbolic link'),
      }),
    ]);
    expect(readFileSync(join(elsewhere, 'a.yml'), 'utf8')).toBe(FIXABLE);
  });

  it('refuses to write a file that became a symlink', async () => {
    const repo = crafted({ '.github/workflows/a.yml': FIXABLE });
    const file = join(repo.root, '.github/workflows/a.yml');
    const result = await lint(repo.root);
    const { unlinkSync } = await import('node:fs');
    unlinkSync(file);
    symlinkSync(repo.victim, file);
    expect(fixFiles(result.fixes, repo.root)).toBe(0);
    expect(readFileSync(repo.victim, 'utf8')).toBe('original\n');
  });
});

describe('the policy file', () => {
  it('is not read through a symlink that leads outside the repository', () => {
    const repo = crafted({});
    mkdirSync(join(repo.root, '.github'));
    symlinkSync(repo.secret, join(repo.root, '.github/buildx-guard.yml'));
    let message = '';
    try {
      loadLintPolicy('.github/buildx-guard.yml', { root: repo.root, explicit: false });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('leads outside the repository through a symbolic link');
    expect(message).not.toContain(KEY_MATERIAL.slice(0, 20));
  });

  it('quotes at most a short excerpt of a bad file', () => {
    const repo = crafted({ '.github/buildx-guard.yml': SECRET });
    let message = '';
    try {
      loadLintPolicy('.github/buildx-guard.yml', { root: repo.root, explicit: true });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain(KEY_MATERIAL.repeat(2));
    expect(message.length).toBeLessThan(400);
  });
});

describe('sarif-file', () => {
  it('is not written through a committed symlink', async () => {
    const repo = crafted({ '.github/workflows/a.yml': FIXABLE });
    symlinkSync(repo.victim, join(repo.root, 'results.sarif'));
    const run = await runAction(
      { mode: 'lint', 'sarif-file': 'results.sarif' },
      { env: { GITHUB_WORKSPACE: repo.root }, cwd: repo.root },
    );
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('Refusing to write results.sarif: it is a symbolic link');
    expect(readFileSync(repo.victim, 'utf8')).toBe('original\n');
  });

  it('is still written where the user points it outside the workspace', async () => {
    const repo = crafted({ '.github/workflows/a.yml': FIXABLE });
    const target = join(repo.outside, 'out', 'lint.sarif');
    await runAction(
      { mode: 'lint', 'sarif-file': target },
      { env: { GITHUB_WORKSPACE: repo.root }, cwd: repo.root },
    );
    expect(existsSync(target)).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).version).toBe('2.1.0');
  });
});
