import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_LINT_POLICY, LintPolicy } from '../../src/modes/lint/config';
import { applyEdits } from '../../src/modes/lint/fix';
import { lintPaths, lintRepository } from '../../src/modes/lint/index';
import { cliLog } from '../../src/core/output/log';

const workflow = (steps: string) => `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lint-index-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const policy = (overrides: Partial<LintPolicy> = {}): LintPolicy => ({
  ...DEFAULT_LINT_POLICY,
  ...overrides,
});

const silent = cliLog({ write: () => undefined });

const files = {
  '.github/workflows/push.yml': workflow('      - run: docker buildx build --push -t acme/app:amd64 .\n'),
  '.github/workflows/merge.yml': workflow(
    [
      '      - run: |',
      '          # buildx-guard: ignore[manifest-merge-of-index] the merge job is being replaced',
      '          docker manifest create acme/app:1 acme/app:amd64',
      '          docker manifest create acme/app:2 acme/app:amd64',
      '',
    ].join('\n'),
  ),
};

describe('lintPaths', () => {
  it('sorts findings by file, line and column, with paths relative to the root', async () => {
    const findings = await lintPaths({ root: repository(files), paths: [], policy: policy(), log: silent });
    expect(findings.map((finding) => [finding.file, finding.line, finding.column, finding.rule])).toEqual([
      ['.github/workflows/merge.yml', 9, 45, 'manifest-merge-of-index'],
      ['.github/workflows/push.yml', 6, 14, 'single-platform-attestations'],
    ]);
  });

  it('applies inline ignores to findings that come from other files', async () => {
    const findings = await lintPaths({
      root: repository(files),
      paths: ['.github/workflows'],
      policy: policy(),
      log: silent,
    });
    expect(
      findings.filter((finding) => finding.rule === 'manifest-merge-of-index').map((finding) => finding.line),
    ).toEqual([9]);
  });

  it('applies the policy: disabled rules, severities and ignored paths', async () => {
    const root = repository(files);
    const lint = (overrides: Partial<LintPolicy>) =>
      lintPaths({ root, paths: [], policy: policy(overrides), log: silent });
    expect(
      (await lint({ rules: { 'manifest-merge-of-index': { enabled: false } } })).map((f) => f.rule),
    ).toEqual(['single-platform-attestations']);
    expect(
      (await lint({ rules: { 'single-platform-attestations': { enabled: true, severity: 'warning' } } })).map(
        (f) => f.severity,
      ),
    ).toEqual(['error', 'warning']);
    expect((await lint({ ignorePaths: ['.github/workflows/push.yml'] })).map((f) => f.file)).toEqual([
      '.github/workflows/merge.yml',
    ]);
    expect(await lint({ attestationPolicy: 'keep' })).toHaveLength(1);
  });

  it('logs inline ignore comments that ignore nothing, where they are', async () => {
    let logged = '';
    const root = repository({
      '.github/workflows/a.yml': workflow(
        '      # buildx-guard: ignore[no-such-rule] why\n      - run: echo\n',
      ),
    });
    await lintPaths({
      root,
      paths: [],
      policy: policy(),
      log: cliLog({ write: (text) => (logged += text) }),
    });
    expect(logged).toContain('warning: .github/workflows/a.yml:6:7: Unknown rule id "no-such-rule"');
  });

  it('reports a step shared through an alias once', async () => {
    const root = repository({
      '.github/workflows/a.yml': [
        'x: &build',
        '  run: docker buildx build --push .',
        'on: push',
        'jobs:',
        '  a: { runs-on: ubuntu-latest, steps: [*build] }',
        '  b: { runs-on: ubuntu-latest, steps: [*build] }',
        '',
      ].join('\n'),
    });
    expect(await lintPaths({ root, paths: [], policy: policy(), log: silent })).toHaveLength(1);
  });

  it('offers fixes only for definite findings that survive the policy', async () => {
    const source = workflow(
      '      - run: docker buildx build --push .\n      - run: docker buildx build --push --platform ${{ inputs.p }} .\n',
    );
    const root = repository({ '.github/workflows/a.yml': source });
    const result = await lintRepository({ root, paths: [], policy: policy(), log: silent });
    expect(result.findings.map((finding) => finding.severity)).toEqual(['error', 'note']);
    const offset = source.indexOf('docker buildx build') + 'docker buildx build'.length;
    expect([...result.fixes.values()]).toEqual([[{ offset, insert: ' --provenance=false --sbom=false' }]]);
    const ignored = await lintRepository({
      root,
      paths: [],
      policy: policy({ ignorePaths: ['.github/**'] }),
      log: silent,
    });
    expect(ignored.fixes.size).toBe(0);
    expect(result.files).toBe(1);
  });

  it('is an error on ubuntu-latest, a note on a self-hosted label, and fixed at the build', async () => {
    const steps =
      '      - run: |\n          docker build -t ghcr.io/acme/app:1 .\n          docker push ghcr.io/acme/app:1\n';
    const hosted = workflow(steps);
    const root = repository({
      '.github/workflows/hosted.yml': hosted,
      '.github/workflows/self.yml': workflow(steps).replace('ubuntu-latest', 'self-hosted'),
    });
    const result = await lintRepository({ root, paths: [], policy: policy(), log: silent });
    expect(result.findings.map(({ file, line, rule, severity }) => [file, line, rule, severity])).toEqual([
      ['.github/workflows/hosted.yml', 7, 'single-platform-attestations', 'error'],
      ['.github/workflows/self.yml', 7, 'single-platform-attestations', 'note'],
    ]);
    const offset = hosted.indexOf('docker build') + 'docker build'.length;
    expect([...result.fixes.values()]).toEqual([[{ offset, insert: ' --provenance=false --sbom=false' }]]);
    const fleet = await lintRepository({
      root,
      paths: [],
      policy: policy({ imageStore: { labels: new Map([['self-hosted', 'classic']]) } }),
      log: silent,
    });
    expect(fleet.findings.map((finding) => finding.file)).toEqual(['.github/workflows/hosted.yml']);
  });

  it('judges docker compose build + push by the compose file in the repository, and never one outside it', async () => {
    const compose = 'services:\n  app:\n    build: .\n    image: ghcr.io/acme/app:1\n';
    const outside = repository({ 'compose.yaml': compose });
    const root = repository({
      'deploy/compose.yaml': compose,
      '.github/workflows/compose.yml': workflow(
        [
          '      - run: docker compose build && docker compose push',
          '        working-directory: deploy',
          '      - run: docker compose -f deploy/compose.yaml build && docker compose -f deploy/compose.yaml push',
          `      - run: docker compose -f ${join(outside, 'compose.yaml')} build app && docker compose -f ${join(outside, 'compose.yaml')} push`,
          '      - run: docker compose -f ../x/compose.yaml build && docker compose -f ../x/compose.yaml push',
          '      - run: docker compose -f linked.yaml build && docker compose -f linked.yaml push',
          '',
        ].join('\n'),
      ),
    });
    symlinkSync(join(outside, 'compose.yaml'), join(root, 'linked.yaml'));
    const findings = await lintPaths({ root, paths: [], policy: policy(), log: silent });
    expect(findings.map(({ line, severity }) => [line, severity])).toEqual([
      [6, 'error'],
      [8, 'error'],
    ]);
    expect(findings[0].message).toMatch(
      /^`docker compose build` \(service `app`\) \+ `docker compose push` \(line 6\) pushes a single-platform image/,
    );
  });

  it("fixes a compose build with the env opt-out in the step's env:", async () => {
    const compose =
      'services:\n  app:\n    build: .\n    image: ghcr.io/acme/app:1\n  api:\n    build: .\n    image: ghcr.io/acme/api:1\n';
    const source = workflow(
      [
        '      - run: |',
        '          docker compose build',
        '          docker compose push',
        '        working-directory: .',
        '      - env:',
        '          A: b',
        '        run: docker compose build --push app',
        '',
      ].join('\n'),
    );
    const root = repository({ 'compose.yaml': compose, '.github/workflows/c.yml': source });
    const result = await lintRepository({ root, paths: [], policy: policy(), log: silent });
    expect(result.findings.map((finding) => [finding.line, finding.severity])).toEqual([
      [7, 'error'],
      [12, 'error'],
    ]);
    const fixed = applyEdits(source, [...result.fixes.values()].flat());
    expect(fixed).toContain(
      "          docker compose push\n        env:\n          BUILDX_NO_DEFAULT_ATTESTATIONS: '1'\n        working-directory: .\n",
    );
    expect(fixed).toContain(
      "          A: b\n          BUILDX_NO_DEFAULT_ATTESTATIONS: '1'\n        run: docker compose build",
    );
    writeFileSync(join(root, '.github/workflows/c.yml'), fixed);
    expect(await lintPaths({ root, paths: [], policy: policy(), log: silent })).toEqual([]);
  });
});
