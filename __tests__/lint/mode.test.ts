// Lint mode end to end, through the bundles a runner and a user run: `node dist/index.js` with INPUT_*
// variables and runner files, and `node dist/cli.js lint`.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleId, ruleDocsUrl } from '../../src/modes/lint/finding';

const dist = join(__dirname, '..', '..', 'dist');
/** The rule page in an annotation's title, escaped as a workflow command property. */
const TITLE_URL = ruleDocsUrl('single-platform-attestations').replace(':', '%3A');
const fixtures = join(__dirname, '..', 'fixtures', 'lint');
const expected: { file: string; rule: RuleId; severity: string }[] = JSON.parse(
  readFileSync(join(fixtures, 'expected-findings.json'), 'utf8'),
);

function corpus(): string {
  const root = mkdtempSync(join(tmpdir(), 'lint-mode-'));
  cpSync(join(fixtures, 'repo'), root, { recursive: true });
  return root;
}

/** A clean environment: no runner variables leak in from the machine running the tests. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return { ...env, ...extra };
}

function cli(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [join(dist, 'cli.js'), 'lint', ...args], {
    cwd,
    encoding: 'utf8',
    env: baseEnv({}),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('buildx-guard lint (CLI)', () => {
  const root = corpus();

  it('prints text findings and exits 1 on an error', () => {
    const { code, stdout } = cli([], root);
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    const rules = [...new Set(expected.map((finding) => finding.rule))];
    expect(lines).toHaveLength(expected.length + 1 + rules.length);
    expect(lines[0]).toMatch(
      /^\.forgejo\/workflows\/release\.yaml:13:15: error single-platform-attestations: /,
    );
    const count = (severity: string) => expected.filter((finding) => finding.severity === severity).length;
    expect(lines[expected.length]).toBe(
      `${expected.length} findings (${count('error')} errors, ${count('warning')} warnings, ${count('note')} notes)`,
    );
    // Then each rule that fired, with its page.
    expect(lines.slice(expected.length + 1).sort()).toEqual(
      rules.map((rule) => `${rule}: ${ruleDocsUrl(rule)}`).sort(),
    );
  });

  it('prints the JSON shape of DESIGN.md', () => {
    const { code, stdout } = cli(['--format', 'json'], root);
    expect(code).toBe(1);
    const { findings } = JSON.parse(stdout);
    expect(
      findings.map(({ file, line, column, rule, severity }: Record<string, unknown>) => ({
        file,
        line,
        column,
        rule,
        severity,
      })),
    ).toEqual(expected);
    for (const finding of findings)
      expect(Object.keys(finding)).toEqual(['file', 'line', 'column', 'rule', 'severity', 'message']);
  });

  it.each([
    ['never', 0],
    ['error', 1],
  ])('exits by --fail-on %s', (failOn, exitCode) => {
    expect(
      cli(['--fail-on', failOn, '.github/workflows/distribute.yml', '.github/workflows/scripts.yml'], root)
        .code,
    ).toBe(failOn === 'never' ? 0 : exitCode);
  });

  it('passes a file with notes only, unless --fail-on note', () => {
    expect(cli(['.github/workflows/matrix.yml'], root).code).toBe(1);
    const notesOnly = join(root, 'notes.yml');
    writeFileSync(
      notesOnly,
      'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: docker buildx bake --push\n',
    );
    expect(cli(['notes.yml'], root).code).toBe(0);
    expect(cli(['--fail-on', 'note', 'notes.yml'], root).code).toBe(1);
  });

  it('prints SARIF 2.1.0 and workflow commands', () => {
    const sarif = JSON.parse(cli(['--format', 'sarif'], root).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(expected.length);
    expect(sarif.runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual([
      'single-platform-attestations',
      'manifest-merge-of-index',
      'attestations-explicitly-enabled',
      'parse-error',
    ]);
    const github = cli(['--format', 'github', '.github/workflows/build-api.yml'], root).stdout;
    expect(github).toMatch(
      /^::error file=\.github\/workflows\/build-api\.yml,line=10,col=14,title=single-platform-attestations \(https%3A\/\/github\.com\/buildx-guard\/buildx-guard\/blob\/main\/docs\/rules\/single-platform-attestations\.md\)::/,
    );
  });

  it('exits 2 with one clear line for a bad option or a missing explicit policy file', () => {
    const bad = cli(['--format', 'xml'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('error: Invalid format: "xml". Use one of: text, json, sarif, github.\n');
    const missing = cli(['--policy', 'missing.yml'], root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Invalid policy-file: "missing.yml"');
    const path = cli(['nowhere.yml'], root);
    expect(path.code).toBe(2);
    expect(path.stderr).toContain('Invalid PATH: "nowhere.yml". No such file or directory');
  });

  it('warns when a glob matches nothing, and passes', () => {
    const { code, stderr, stdout } = cli(['nothing/*.yml'], root);
    expect(code).toBe(0);
    expect(stdout).toBe('no findings\n');
    expect(stderr).toBe('warning: No workflow files matched nothing/*.yml.\n');
  });

  it('prints its help', () => {
    const help = cli(['--help'], root);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: buildx-guard lint [options] [PATH...]');
  });

  it('fixes default attestations in place with --fix and reports what is left', () => {
    const fixable = corpus();
    // The Gitea runners' image store is the admin's to state: here, containerd.
    writeFileSync(join(fixable, 'fleet.yml'), 'image-store: containerd\n');
    const { code, stdout, stderr } = cli(
      [
        '--fix',
        '--policy',
        'fleet.yml',
        '--format',
        'json',
        '.gitea',
        '.github/workflows/action-versions.yml',
      ],
      fixable,
    );
    expect(stderr).toBe('Fixed 2 files; what is left:\n');
    expect(
      readFileSync(join(fixable, '.gitea/workflows/publish-workspace-server-image.yml'), 'utf8'),
    ).toContain('          docker buildx build --provenance=false --sbom=false --push \\\n');
    expect(readFileSync(join(fixable, '.github/workflows/action-versions.yml'), 'utf8')).toContain(
      '        uses: docker/build-push-action@v4\n        with:\n          push: true\n          tags: acme/v4:latest\n          provenance: false\n',
    );
    const left = JSON.parse(stdout).findings.map(
      (finding: { line: number; rule: string; severity: string }) => [finding.rule, finding.severity],
    );
    // v2-era versions have no provenance input to add; the warnings and the note are the user's to decide.
    expect(left).toEqual([
      ['single-platform-attestations', 'error'],
      ['attestations-explicitly-enabled', 'warning'],
      ['attestations-explicitly-enabled', 'warning'],
      ['single-platform-attestations', 'note'],
    ]);
    expect(code).toBe(1);
  });
});

describe('mode: lint (action)', () => {
  function action(
    inputs: Record<string, string>,
    extraEnv: Record<string, string> = {},
    files: Record<string, string> = {},
  ) {
    const root = corpus();
    for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
    const runner = mkdtempSync(join(tmpdir(), 'runner-'));
    const output = join(runner, 'output');
    const summary = join(runner, 'summary');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const env = baseEnv({
      GITHUB_WORKSPACE: root,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      INPUT_MODE: 'lint',
      'INPUT_POLICY-FILE': '.github/buildx-guard.yml',
      'INPUT_FAIL-ON': 'error',
      ...Object.fromEntries(
        Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
      ),
      ...extraEnv,
    });
    const result = spawnSync(process.execPath, [join(dist, 'index.js')], {
      cwd: root,
      encoding: 'utf8',
      env,
    });
    return {
      code: result.status,
      stdout: result.stdout,
      root,
      output: readFileSync(output, 'utf8'),
      summary: readFileSync(summary, 'utf8'),
    };
  }

  it('annotates, summarises, writes SARIF and the findings output, and fails the step', () => {
    const run = action({ 'sarif-file': 'out/lint.sarif' }, { GITHUB_ACTIONS: 'true' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `::error title=single-platform-attestations (${TITLE_URL}),file=.github/workflows/build-api.yml,line=10,col=14::`,
    );
    expect(run.stdout).toMatch(/::error::Lint: \d+ findings .*; fail-on is error\./);
    const findings = JSON.parse(/findings<<(\S+)\n([\s\S]*?)\n\1/.exec(run.output)?.[2] ?? '{}').findings;
    expect(findings).toHaveLength(expected.length);
    expect(run.summary).toContain('single-platform-attestations');
    expect(JSON.parse(readFileSync(join(run.root, 'out/lint.sarif'), 'utf8')).runs[0].results).toHaveLength(
      expected.length,
    );
  });

  it('lints only the workflows the globs name, and passes when they are clean', () => {
    const run = action({
      workflows:
        '.github/workflows/distribute.yml\n.github/workflows/*-api.yml\n!.github/workflows/build-api.yml',
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(/findings<<(\S+)\n([\s\S]*?)\n\1/.exec(run.output)?.[2] ?? '{}').findings).toEqual([]);
  });

  it('prints plain finding lines on Gitea, where annotations are not rendered', () => {
    const run = action(
      { workflows: '.gitea/workflows/*.yml', 'policy-file': 'fleet.yml' },
      { GITHUB_ACTIONS: 'true', GITEA_ACTIONS: 'true' },
      { 'fleet.yml': 'image-store: containerd\n' },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '.gitea/workflows/publish-workspace-server-image.yml:20:11: error single-platform-attestations: ',
    );
    expect(run.stdout).toContain(
      `single-platform-attestations: ${ruleDocsUrl('single-platform-attestations')}`,
    );
  });

  it('makes a note of a Gitea runner whose image store the policy does not state', () => {
    const run = action(
      { workflows: '.gitea/workflows/*.yml' },
      { GITHUB_ACTIONS: 'true', GITEA_ACTIONS: 'true' },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      '.gitea/workflows/publish-workspace-server-image.yml:20:11: note single-platform-attestations: ' +
        'Whether `docker buildx build` pushes a single-platform image as an OCI index with an attestation child ' +
        'depends on the image store of runner `ubuntu-latest` (state it with `image-store` in the policy file).',
    );
  });

  it('fails the step with one clear message for a bad input', () => {
    const run = action({ 'fail-on': 'sometimes' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '::error::Invalid fail-on: "sometimes". Use one of: error, warning, note, never.',
    );
  });

  it('lets fail-on never pass the step, with the findings still reported', () => {
    const run = action({ 'fail-on': 'never', workflows: '.github/workflows/build-api.yml' });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `::error title=single-platform-attestations (${TITLE_URL}),file=.github/workflows/build-api.yml,line=10,col=14::`,
    );
  });
});
