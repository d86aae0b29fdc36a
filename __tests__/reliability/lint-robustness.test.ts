// Lint robustness (issue 5): whatever a workflow file holds (generated workflows, mutated real ones, random
// text, binary garbage, alias bombs, deep nesting, huge files) the linter ends, never throws, and answers with
// well-formed findings, or a parse-error for that file and nothing else.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { DEFAULT_LINT_POLICY, loadLintPolicy, RULE_IDS } from '../../src/modes/lint/config';
import { Finding } from '../../src/modes/lint/finding';
import { lintPaths } from '../../src/modes/lint/index';
import { InputError } from '../../src/core/errors';
import { SEVERITIES } from '../../src/modes/lint/report/severity';
import { cliLog } from '../../src/core/output/log';
import { cleanEnv, runNode } from '../registry/helpers/cli';
import { expectNoStackTrace } from './support/output';

/** Bounded and seeded: a failure names its seed and path, and replays exactly. */
const RUNS = { numRuns: 200, seed: 5_2025 };
const FILE = '.github/workflows/fuzz.yml';
const FIXTURES = join(__dirname, '..', 'fixtures', 'lint', 'repo', '.github', 'workflows');

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bxg-lint-fuzz-'));
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
});

async function lint(content: string | Uint8Array): Promise<Finding[]> {
  writeFileSync(join(root, FILE), content);
  return lintPaths({
    root,
    paths: [FILE],
    policy: DEFAULT_LINT_POLICY,
    log: cliLog({ write: () => undefined }),
  });
}

/** Findings or a parse-error: every finding names a known rule and a real position in this file. */
function expectFindingsOrParseError(findings: Finding[], content: string | Uint8Array): void {
  const lines = Buffer.from(content).toString('utf8').split('\n').length;
  for (const finding of findings) {
    expect(finding.file).toBe(FILE);
    expect(RULE_IDS).toContain(finding.rule);
    expect(SEVERITIES).toContain(finding.severity);
    expect(finding.message).not.toBe('');
    expect(Number.isInteger(finding.line) && finding.line >= 1 && finding.line <= lines).toBe(true);
    expect(Number.isInteger(finding.column) && finding.column >= 1).toBe(true);
  }
  if (findings.some((finding) => finding.rule === 'parse-error')) expect(findings).toHaveLength(1);
}

// Shell words that matter to the linter, and the syntax around them that has broken shell readers before.
// prettier-ignore
const shellWord = fc.constantFrom(
  'docker', 'buildx', 'build', 'b', 'bake', 'manifest', 'create', '--amend', 'imagetools', 'sudo', 'env',
  '--push', '--load', '-t', '--tag', 'r.io/app:1', 'ghcr.io/o/app:${{ github.sha }}', '--platform', 'linux/amd64',
  'linux/amd64,linux/arm64', '--provenance=false', '--provenance', 'mode=max', '--sbom=true', '--attest',
  'type=provenance,disabled=true', '--output', 'type=registry', 'type=image,push=true,push-by-digest=true', '.',
  '-f', 'Dockerfile', 'BUILDX_NO_DEFAULT_ATTESTATIONS=1', 'export', 'if', 'then', 'fi', 'for', 'in', 'do', 'done',
  '$(', ')', '`', '"', "'", '\\\n', '\n', ';', '&&', '||', '|', '<<EOF\n', '\nEOF\n', '#', '{', '}', '(',
  '${{ matrix.platform }}', '${{ env.X }}', '${{', '}}', '$X', '${X:-a}', '>', '2>&1', '\t', '\uFEFF', '\u0085',
);
const script = fc.array(shellWord, { maxLength: 40 }).map((words) => words.join(' '));
// prettier-ignore
const scalar = fc.oneof(
  fc.constantFrom(true, false, 'true', 'false', '', null, 0, '${{ inputs.push }}', 'linux/amd64', 'linux/amd64,linux/arm64'),
  fc.constantFrom('type=provenance,mode=max', 'type=sbom', 'r.io/app:1\nr.io/app:2', 'type=registry', 'mode=max'),
  fc.string({ maxLength: 20 }),
);
const envNames = fc.constantFrom('BUILDX_NO_DEFAULT_ATTESTATIONS', 'X', 'PLATFORMS', 'PUSH');
const env = fc.dictionary(envNames, scalar, { maxKeys: 3 });
// prettier-ignore
const withInputs = fc.dictionary(
  fc.constantFrom('push', 'load', 'platforms', 'provenance', 'sbom', 'attests', 'tags', 'outputs', 'context', 'targets', 'set'),
  scalar,
  { maxKeys: 6 },
);
const step = fc.oneof(
  fc.record(
    { name: fc.string({ maxLength: 10 }), run: script, env, shell: fc.constantFrom('bash', 'sh', 'pwsh') },
    { requiredKeys: ['run'] },
  ),
  fc.record(
    {
      uses: fc.constantFrom(
        'docker/build-push-action@v6',
        'docker/build-push-action@v2',
        'https://github.com/docker/build-push-action@main',
        'docker/bake-action@v5',
        'actions/checkout@v4',
        './.github/actions/local',
        'docker://alpine',
      ),
      with: withInputs,
      env,
    },
    { requiredKeys: ['uses'] },
  ),
);
/** Steps, some of them repeated: yaml's stringify turns a repeated object into an anchor and aliases. */
const steps = fc
  .tuple(fc.array(step, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 3 }))
  .map(([own, repeats]) => [...own, ...repeats.map((i) => own[i % own.length])]);
const job = fc.record(
  {
    'runs-on': fc.constant('ubuntu-latest'),
    env,
    strategy: fc.record({ matrix: fc.record({ platform: fc.array(scalar, { maxLength: 3 }) }) }),
    steps,
  },
  { requiredKeys: ['runs-on', 'steps'] },
);
const workflowDocument = fc.oneof(
  fc.record(
    {
      on: fc.constant('push'),
      env,
      jobs: fc.dictionary(fc.constantFrom('build', 'merge', 'x-1'), job, { minKeys: 1, maxKeys: 3 }),
    },
    { requiredKeys: ['on', 'jobs'] },
  ),
  fc.record({ name: fc.constant('composite'), runs: fc.record({ using: fc.constant('composite'), steps }) }),
);
const generatedWorkflow = workflowDocument.map((doc) => stringify(doc));

/** Edits that break YAML and shell in the ways people and attackers do. */
const mutation = fc.oneof(
  fc.record({
    insert: fc.constantFrom(
      ':',
      '- ',
      '&a ',
      '*a',
      '<<: *a',
      '!!binary ',
      '{',
      '[',
      '"',
      "'",
      '\t',
      '\n',
      '#',
      '|',
      '>-',
      '%YAML 1.1\n',
      '---\n',
      '\\',
      '$(',
      '\0',
      '\uFFFD',
    ),
    at: fc.nat(),
  }),
  fc.record({ remove: fc.nat({ max: 40 }), at: fc.nat() }),
  fc.record({ duplicateLine: fc.nat() }),
  fc.record({ indent: fc.integer({ min: -4, max: 4 }), line: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, edits: Mutation[]): string {
  let out = text;
  for (const edit of edits) {
    const lines = out.split('\n');
    if ('insert' in edit) {
      const at = edit.at % (out.length + 1);
      out = out.slice(0, at) + edit.insert + out.slice(at);
    } else if ('remove' in edit) {
      const at = edit.at % (out.length + 1);
      out = out.slice(0, at) + out.slice(at + edit.remove);
    } else if ('duplicateLine' in edit) {
      const i = edit.duplicateLine % lines.length;
      out = [...lines.slice(0, i + 1), lines[i], ...lines.slice(i + 1)].join('\n');
    } else {
      const i = edit.line % lines.length;
      lines[i] = edit.indent >= 0 ? ' '.repeat(edit.indent) + lines[i] : lines[i].slice(-edit.indent);
      out = lines.join('\n');
    }
  }
  return out;
}

const fixtures = readdirSync(FIXTURES).map((name) => readFileSync(join(FIXTURES, name), 'utf8'));

describe('fuzzing the linter (seeded, 200 runs each)', () => {
  it('generated workflows and composite actions parse, and give only well-placed findings', async () => {
    await fc.assert(
      fc.asyncProperty(generatedWorkflow, async (text) => {
        const findings = await lint(text);
        expectFindingsOrParseError(findings, text);
        expect(findings.filter((finding) => finding.rule === 'parse-error')).toEqual([]);
      }),
      RUNS,
    );
  });

  it('mutated real workflows give findings or a parse-error, never an exception', async () => {
    const source = fc.oneof(fc.constantFrom(...fixtures), generatedWorkflow);
    await fc.assert(
      fc.asyncProperty(source, fc.array(mutation, { minLength: 1, maxLength: 8 }), async (text, edits) => {
        const mutated = mutate(text, edits);
        expectFindingsOrParseError(await lint(mutated), mutated);
      }),
      RUNS,
    );
  });

  it('random text and binary garbage give findings or a parse-error, never an exception', async () => {
    const garbage = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 2000 }),
      fc.string({
        unit: fc.constantFrom(
          'a',
          ':',
          ' ',
          '\n',
          '-',
          '&',
          '*',
          '[',
          '{',
          '"',
          '|',
          'docker',
          'buildx build',
        ),
        maxLength: 300,
      }),
      fc.uint8Array({ maxLength: 4000 }),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (content) => expectFindingsOrParseError(await lint(content), content)),
      RUNS,
    );
  });
});

const BUILD = 'docker buildx build --push -t r.io/app:1 .';
const JOB = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n';
/** `levels` anchors, each a list of ten aliases to the one below: 10^levels nodes once expanded. */
const aliasBomb = (levels: number, leaf = '[lol]') =>
  `x0: &l0 ${leaf}\n` +
  Array.from(
    { length: levels },
    (_, i) => `x${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]\n`,
  ).join('');

describe('hostile files end without crashing', () => {
  const single = (line: number, column: number) => [{ rule: 'single-platform-attestations', line, column }];
  const positions = (findings: Finding[]) =>
    findings.map(({ rule, line, column }) => ({ rule, line, column }));

  it.each<[string, string, ReturnType<typeof single>]>([
    [
      'a billion-laughs alias bomb beside a build',
      `${aliasBomb(9)}${JOB}      - run: ${BUILD}\n`,
      single(16, 14),
    ],
    [
      'an alias bomb as the steps',
      `${aliasBomb(9, `{run: ${BUILD}}`)}${JOB.replace('steps:\n', 'steps: *l9\n')}`,
      [],
    ],
    [
      'an alias bomb in a build-push-action input',
      `${aliasBomb(9)}${JOB}      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: *l9\n`,
      single(16, 15),
    ],
    [
      'an alias bomb as the environment',
      `${aliasBomb(9)}env: *l9\n${JOB}      - run: ${BUILD}\n`,
      single(17, 14),
    ],
    [
      'one step aliased 1000 times is one finding',
      `x: &step {run: ${BUILD}}\n${JOB.replace('steps:\n', `steps: [${Array(1000).fill('*step').join(', ')}]\n`)}`,
      single(1, 16),
    ],
    ['a merge cycle', `a: &a {<<: &b {<<: *a}}\n${JOB}      - {<<: *a, run: ${BUILD}}\n`, single(7, 23)],
    ['an anchor used inside itself', `${JOB.replace('jobs:\n', 'jobs: &j\n')}      - {<<: *j}\n`, []],
    [
      'flow sequences nested 5000 deep',
      `on: push\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      [{ rule: 'parse-error', line: 2, column: expect.any(Number) }],
    ],
    [
      'command substitutions nested 300 deep',
      `${JOB}      - run: "${'$('.repeat(300)}${BUILD}${')'.repeat(300)}"\n`,
      single(6, 615),
    ],
    [
      'if blocks nested 2000 deep',
      `${JOB}      - run: |\n${'          if true; then\n'.repeat(2000)}          ${BUILD}\n${'          fi\n'.repeat(2000)}`,
      single(2007, 11),
    ],
    // With spaces: `((` would open an arithmetic command instead.
    [
      'subshells nested 2000 deep',
      `${JOB}      - run: "${'( '.repeat(2000)}${BUILD}${' )'.repeat(2000)}"\n`,
      single(6, 4015),
    ],
    [
      'a 3 MiB file of 3000 lines of comments and one build',
      `${JOB}${`      # ${'x'.repeat(1000)}\n`.repeat(3000)}      - run: ${BUILD}\n`,
      single(3006, 14),
    ],
  ])('%s', async (_name, text, expected) => {
    const findings = await lint(text);
    expectFindingsOrParseError(findings, text);
    expect(positions(findings)).toEqual(expected);
  });

  it('merge keys thirty deep and ten wide (10^30 pairs once expanded) end', async () => {
    const text =
      `m0: &m0 {run: ${BUILD}}\n` +
      Array.from(
        { length: 30 },
        (_, i) => `m${i + 1}: &m${i + 1} {<<: [${Array(10).fill(`*m${i}`).join(', ')}]}\n`,
      ).join('') +
      `${JOB}      - <<: *m30\n`;
    expectFindingsOrParseError(await lint(text), text);
  });

  it('command substitutions nested 12000 deep end with their finding (reading them is not quadratic)', async () => {
    const text = `${JOB}      - run: "${'$('.repeat(12000)}${BUILD}${')'.repeat(12000)}"\n`;
    expect(positions(await lint(text))).toEqual(single(6, 24015));
  });

  it('mappings nested 2000 deep give a parse-error or nothing', async () => {
    const text = `on: push\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:\n`).join('')}`;
    const findings = await lint(text);
    expectFindingsOrParseError(findings, text);
    expect(findings.filter((finding) => finding.rule !== 'parse-error')).toEqual([]);
  });

  it('2000 pushed builds in one job are 2000 findings, each on its own line', async () => {
    const text =
      JOB +
      Array.from(
        { length: 2000 },
        (_, i) => `      - run: docker buildx build --push -t r.io/app:${i} .\n`,
      ).join('');
    const findings = await lint(text);
    expect(positions(findings)).toEqual(Array.from({ length: 2000 }, (_, i) => single(6 + i, 14)[0]));
  });

  it.each([
    ['an alias bomb', `${aliasBomb(9)}rules: *l9\n`, 'Invalid key in .github/buildx-guard.yml:1:1: "x0".'],
    [
      'a bomb under a known key',
      `x: &l0 [lol]\nignore-paths: [${Array(10).fill('*l0').join(', ')}]\n`,
      'Invalid key in .github/buildx-guard.yml:1:1: "x".',
    ],
    [
      'deep nesting',
      `ignore-paths: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
      'Invalid policy file .github/buildx-guard.yml:1:',
    ],
  ])('a policy file with %s is one InputError', (_name, text, message) => {
    const repo = mkdtempSync(join(tmpdir(), 'bxg-lint-policy-'));
    mkdirSync(join(repo, '.github'));
    writeFileSync(join(repo, '.github', 'buildx-guard.yml'), text);
    const load = () => loadLintPolicy('.github/buildx-guard.yml', { root: repo, explicit: false });
    expect(load).toThrow(InputError);
    expect(load).toThrow(message);
  });
});

describe('buildx-guard lint over a repository of hostile files', () => {
  it('reports each file and exits 1, without a stack trace', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'bxg-lint-hostile-'));
    const workflows = join(repo, '.github', 'workflows');
    mkdirSync(workflows, { recursive: true });
    writeFileSync(join(workflows, 'bomb.yml'), `${aliasBomb(9)}${JOB}      - run: ${BUILD}\n`);
    writeFileSync(join(workflows, 'deep.yml'), `on: push\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    writeFileSync(join(workflows, 'garbage.yml'), Buffer.from([0xff, 0xfe, 0x00, 0x9f, 0x92, 0x96, 0x0a]));
    writeFileSync(
      join(workflows, 'invalid-utf8.yml'),
      Buffer.from([0x6f, 0x6e, 0x3a, 0x20, 0xc3, 0x28, 0x0a, 0xa0, 0xa1]),
    );
    const run = await runNode('dist/cli.js', ['lint', '--format', 'json', repo], cleanEnv());
    expect(run.status).toBe(1);
    expectNoStackTrace(run.stderr);
    const { findings } = JSON.parse(run.stdout) as { findings: Finding[] };
    expect(findings.map(({ file, rule }) => [file.replace(/^.*\.github/, '.github'), rule])).toEqual([
      ['.github/workflows/bomb.yml', 'single-platform-attestations'],
      ['.github/workflows/deep.yml', 'parse-error'],
      ['.github/workflows/garbage.yml', 'parse-error'],
      ['.github/workflows/invalid-utf8.yml', 'parse-error'],
    ]);
  });
});
