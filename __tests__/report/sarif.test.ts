import { Finding, ruleDocsUrl, RuleMeta } from '../../src/modes/lint/finding';
import { SARIF_SCHEMA, toSarif } from '../../src/modes/lint/report/sarif';
import { finding, TEST_RULES } from './fixtures/rules';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The requirements of GitHub's "SARIF support for code scanning" page that apply to us, as a checker:
 * the properties it marks required, its value sets, and its limits (1000 characters of fullDescription,
 * 1 to 10 locations, relative URIs to the repository root, primaryLocationLineHash as the fingerprint).
 */
function githubSarifProblems(log: any): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => ok || problems.push(problem);
  const text = (value: any) => typeof value === 'string' && value.trim() !== '';
  const positive = (value: any) => Number.isInteger(value) && value >= 1;
  const levels = ['none', 'note', 'warning', 'error'];

  check(text(log.$schema), '$schema');
  check(log.version === '2.1.0', 'version');
  check(Array.isArray(log.runs) && log.runs.length === 1, 'exactly one run');
  const run = log.runs?.[0] ?? {};
  const driver = run.tool?.driver ?? {};
  check(text(driver.name), 'tool.driver.name');
  if (driver.semanticVersion !== undefined) {
    check(/^\d+\.\d+\.\d+(-[\w.-]+)?(\+[\w.-]+)?$/.test(driver.semanticVersion), 'semanticVersion is semver');
  }
  check(['utf16CodeUnits', 'unicodeCodePoints', undefined].includes(run.columnKind), 'columnKind');
  const rules: any[] = driver.rules ?? [];
  check(Array.isArray(driver.rules), 'tool.driver.rules[]');
  check(new Set(rules.map((rule) => rule.id)).size === rules.length, 'unique rule ids');
  rules.forEach((rule, i) => {
    check(text(rule.id), `rules[${i}].id`);
    check(text(rule.shortDescription?.text), `rules[${i}].shortDescription.text`);
    check(text(rule.fullDescription?.text), `rules[${i}].fullDescription.text`);
    check((rule.fullDescription?.text ?? '').length <= 1000, `rules[${i}].fullDescription.text <= 1000`);
    check(text(rule.help?.text), `rules[${i}].help.text`);
    check(
      levels.includes(rule.defaultConfiguration?.level ?? 'warning'),
      `rules[${i}].defaultConfiguration.level`,
    );
    const precision = rule.properties?.precision;
    check(
      precision === undefined || ['very-high', 'high', 'medium', 'low'].includes(precision),
      `rules[${i}] precision`,
    );
  });
  check(Array.isArray(run.results), 'results[]');
  (run.results ?? []).forEach((result: any, i: number) => {
    check(
      rules.some((rule) => rule.id === result.ruleId),
      `results[${i}].ruleId names a rule`,
    );
    if (result.ruleIndex !== undefined)
      check(rules[result.ruleIndex]?.id === result.ruleId, `results[${i}].ruleIndex`);
    check(levels.includes(result.level ?? 'warning'), `results[${i}].level`);
    check(text(result.message?.text), `results[${i}].message.text`);
    const locations = result.locations ?? [];
    check(locations.length >= 1 && locations.length <= 10, `results[${i}] has 1 to 10 locations`);
    for (const location of locations) {
      const physical = location.physicalLocation ?? {};
      const uri = physical.artifactLocation?.uri;
      check(
        text(uri) && !/^\/|\\|^[a-z]+:/i.test(uri),
        `results[${i}] uri is relative to the repository root`,
      );
      check(positive(physical.region?.startLine), `results[${i}] region.startLine`);
      check(positive(physical.region?.startColumn), `results[${i}] region.startColumn`);
    }
    check(text(result.partialFingerprints?.primaryLocationLineHash), `results[${i}] primaryLocationLineHash`);
  });
  return problems;
}

const findings: Finding[] = [
  finding({ file: '.github/workflows/a.yml', line: 3, column: 5 }),
  finding({ file: '.github/workflows/a.yml', line: 9, column: 5 }),
  finding({
    file: 'ci/my build.yml',
    line: 2,
    column: 3,
    rule: 'parse-error',
    severity: 'note',
    message: 'bad',
  }),
  finding({ file: '.gitea/workflows/w.yml', rule: 'attestations-explicitly-enabled', severity: 'warning' }),
];
const sarif = (input: Finding[], rules: RuleMeta[] = TEST_RULES, version = '1.2.3') =>
  toSarif(input, rules, version) as any;

describe('toSarif', () => {
  it('meets what GitHub code scanning requires', () => {
    expect(githubSarifProblems(sarif(findings))).toEqual([]);
    expect(githubSarifProblems(sarif([]))).toEqual([]);
  });

  it('the checker itself catches what GitHub rejects', () => {
    const broken = sarif(findings);
    broken.runs[0].tool.driver.rules[0].fullDescription.text = 'x'.repeat(1001);
    broken.runs[0].results[0].ruleIndex = 1;
    broken.runs[0].results[1].locations = [];
    broken.runs[0].results[2].locations[0].physicalLocation.artifactLocation.uri = '/abs/path.yml';
    delete broken.runs[0].results[3].partialFingerprints;
    expect(githubSarifProblems(broken)).toEqual([
      'rules[0].fullDescription.text <= 1000',
      'results[0].ruleIndex',
      'results[1] has 1 to 10 locations',
      'results[2] uri is relative to the repository root',
      'results[3] primaryLocationLineHash',
    ]);
  });

  it('describes the tool and every rule', () => {
    const { $schema, version, runs } = sarif([]);
    expect([$schema, version]).toEqual([SARIF_SCHEMA, '2.1.0']);
    expect(runs[0].tool.driver).toMatchObject({
      name: 'buildx-guard',
      version: '1.2.3',
      semanticVersion: '1.2.3',
    });
    expect(runs[0].tool.driver.rules[0]).toEqual({
      id: 'single-platform-attestations',
      name: 'single-platform-attestations',
      shortDescription: { text: TEST_RULES[0].summary },
      fullDescription: {
        text: 'buildx adds a provenance attestation, so the tag points at an OCI image index.',
      },
      help: {
        text:
          'buildx adds a provenance attestation, so the tag points at an OCI image index.\n\n' +
          'Add --provenance=false --sbom=false, or provenance: false to the with: block. ' +
          'See attestations (https://docs.docker.com/build/attestations/).\n\nprovenance: false',
        markdown: `${TEST_RULES[0].help}\n\n[The rule's page](${ruleDocsUrl('single-platform-attestations')})`,
      },
      helpUri: ruleDocsUrl('single-platform-attestations'),
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['containers', 'ci'], precision: 'high' },
    });
    expect(runs[0].tool.driver.rules.map((rule: any) => rule.defaultConfiguration.level)).toEqual(
      TEST_RULES.map((rule) => rule.defaultSeverity),
    );
  });

  it('maps each finding to a result at its place, with its severity as the level', () => {
    const [, , note] = sarif(findings).runs[0].results;
    expect(note).toEqual({
      ruleId: 'parse-error',
      ruleIndex: 3,
      level: 'note',
      message: { text: 'bad' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'ci/my%20build.yml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 2, startColumn: 3 },
          },
        },
      ],
      partialFingerprints: { primaryLocationLineHash: expect.stringMatching(/^[0-9a-f]{16}:1$/) },
    });
  });

  it('keeps fingerprints when lines move, and tells identical findings in one file apart', () => {
    const before = sarif(findings).runs[0].results.map(
      (r: any) => r.partialFingerprints.primaryLocationLineHash,
    );
    const moved = findings.map((f) => ({ ...f, line: f.line + 7, column: f.column + 2 }));
    const after = sarif(moved).runs[0].results.map((r: any) => r.partialFingerprints.primaryLocationLineHash);
    expect(after).toEqual(before);
    expect(before[0].split(':')[0]).toBe(before[1].split(':')[0]);
    expect([before[0].split(':')[1], before[1].split(':')[1]]).toEqual(['1', '2']);
    expect(new Set(before).size).toBe(before.length);
  });

  it.each<[string, Partial<Finding>]>([
    ['rule', { rule: 'manifest-merge-of-index' }],
    ['file', { file: '.github/workflows/b.yml' }],
    ['message', { message: 'another message' }],
  ])('changes the fingerprint when the %s changes', (_name, change) => {
    const hash = (f: Finding) => sarif([f]).runs[0].results[0].partialFingerprints.primaryLocationLineHash;
    expect(hash({ ...findings[0], ...change })).not.toBe(hash(findings[0]));
  });

  it('still gives a result a rule when the table lacks it, and never a line or column below 1', () => {
    const log = sarif([finding({ rule: 'parse-error', line: 0, column: 0 })], TEST_RULES.slice(0, 1));
    expect(githubSarifProblems(log)).toEqual([]);
    expect(log.runs[0].results[0].ruleIndex).toBe(1);
    expect(log.runs[0].results[0].locations[0].physicalLocation.region).toEqual({
      startLine: 1,
      startColumn: 1,
    });
  });

  it('cuts a long first paragraph to GitHub’s 1000 characters', () => {
    const long: RuleMeta = { ...TEST_RULES[2], help: 'word '.repeat(400) };
    const rule = sarif([], [long]).runs[0].tool.driver.rules[0];
    expect(rule.fullDescription.text).toHaveLength(1000);
    expect(rule.fullDescription.text.endsWith('...')).toBe(true);
    expect(rule.help.text).toBe(long.help.trim());
  });

  it('gives a version that is not semver only as version', () => {
    const { driver } = sarif([], TEST_RULES, 'dev-abc123').runs[0].tool;
    expect(driver.version).toBe('dev-abc123');
    expect(driver).not.toHaveProperty('semanticVersion');
  });

  it('adds informationUri when the caller knows it', () => {
    const log = toSarif([], TEST_RULES, '1.2.3', {
      informationUri: 'https://github.com/o/buildx-guard',
    }) as any;
    expect(log.runs[0].tool.driver.informationUri).toBe('https://github.com/o/buildx-guard');
    expect(sarif([]).runs[0].tool.driver).not.toHaveProperty('informationUri');
  });
});
