// The realistic corpus (__tests__/fixtures/lint/repo): workflows shaped like the field reports and every case
// the engine handles, with the findings expected at exact lines and columns, and nothing else.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY_FILE, loadLintPolicy } from '../../src/modes/lint/config';
import { Finding } from '../../src/modes/lint/finding';
import { lintPaths } from '../../src/modes/lint/index';
import { MAX_SOURCE_BYTES } from '../../src/modes/lint/source';
import { cliLog } from '../../src/core/output/log';

const fixtures = join(__dirname, '..', 'fixtures', 'lint');
const expected: Omit<Finding, 'message'>[] = JSON.parse(
  readFileSync(join(fixtures, 'expected-findings.json'), 'utf8'),
);

/** A copy of the corpus, with what cannot be committed: a node_modules action, a binary and a huge workflow. */
function corpus(): string {
  const root = mkdtempSync(join(tmpdir(), 'corpus-'));
  cpSync(join(fixtures, 'repo'), root, { recursive: true });
  mkdirSync(join(root, 'node_modules', 'vendored'), { recursive: true });
  writeFileSync(
    join(root, 'node_modules', 'vendored', 'action.yml'),
    'runs:\n  using: composite\n  steps:\n    - shell: bash\n      run: docker buildx build --push -t ghcr.io/vendor/never .\n',
  );
  writeFileSync(
    join(root, '.github', 'workflows', 'binary.yml'),
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x02]),
  );
  writeFileSync(join(root, '.github', 'workflows', 'huge.yml'), '');
  truncateSync(join(root, '.github', 'workflows', 'huge.yml'), MAX_SOURCE_BYTES + 1);
  return root;
}

describe('the lint corpus', () => {
  let findings: Finding[];
  let logged: string;

  beforeAll(async () => {
    const root = corpus();
    logged = '';
    const log = cliLog({ write: (text) => (logged += text) });
    const policy = loadLintPolicy(DEFAULT_POLICY_FILE, { root, explicit: false });
    findings = await lintPaths({ root, paths: [], policy, log });
  });

  it('reports exactly the expected findings, at their lines and columns, and no others', () => {
    const unreadable = (file: string) => ({
      file,
      line: 1,
      column: 1,
      rule: 'parse-error',
      severity: 'error',
    });
    const withoutMessages = findings.map(({ file, line, column, rule, severity }) => ({
      file,
      line,
      column,
      rule,
      severity,
    }));
    expect(withoutMessages).toEqual(
      [
        ...expected,
        unreadable('.github/workflows/binary.yml'),
        unreadable('.github/workflows/huge.yml'),
      ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column)),
    );
  });

  it('gives every definite finding a fix for its own step', () => {
    for (const finding of findings.filter(
      (f) => f.rule === 'single-platform-attestations' && f.severity === 'error',
    )) {
      expect(finding.message).toMatch(/Fix: (add|set) `/);
    }
  });

  it('tells apart the field reports', () => {
    const at = (file: string, line: number) =>
      findings.find((finding) => finding.file === file && finding.line === line)?.message ?? '';
    expect(at('.github/workflows/runner-images.yml', 30)).toContain('so its `provenance:` input is ignored');
    expect(at('.github/workflows/runner-images.yml', 46)).toContain(
      '"knatnetwork/github-runner-amd64:focal-2.301.1 is a manifest list": `docker/build-push-action@v2` at .github/workflows/runner-images.yml:16',
    );
    expect(at('.github/workflows/release-api.yml', 13)).toContain('at .github/workflows/build-api.yml:10');
    expect(at('.github/workflows/no-default-attestations.yml', 38)).toContain(
      'depends on `${{ vars.NO_ATTESTATIONS }}`',
    );
    expect(at('.github/workflows/matrix.yml', 31)).toContain('depends on `${{ matrix.platform }}`');
    expect(at('.github/workflows/scripts.yml', 38)).toContain(
      '`docker build` + `docker push ghcr.io/acme/scripts:classic` (line 38) pushes a single-platform image',
    );
    expect(at('.gitea/workflows/publish-workspace-server-image.yml', 20)).toContain(
      'depends on the image store of runner `ubuntu-latest`',
    );
  });

  it('logs nothing about inline ignores, since every one in the corpus is well formed', () => {
    expect(logged).toBe('');
  });
});
