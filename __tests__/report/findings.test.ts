import { Finding, ruleDocsUrl } from '../../src/modes/lint/finding';
import { findingLine, FindingsFormat, formatFindings } from '../../src/modes/lint/report/findings';
import { finding, TEST_RULES } from './fixtures/rules';

const options = { rules: TEST_RULES, version: '1.2.3' };
const findings: Finding[] = [
  finding({ file: '.github/workflows/a.yml', line: 3, column: 5, message: 'push: add --provenance=false' }),
  finding({
    file: '.gitea/workflows/b,c.yml',
    line: 10,
    column: 1,
    rule: 'attestations-explicitly-enabled',
    severity: 'warning',
    message: 'sbom: true makes an index:\nset sbom: false',
  }),
  finding({
    file: 'action.yml',
    line: 1,
    column: 1,
    rule: 'parse-error',
    severity: 'note',
    message: '100% odd',
  }),
];

describe('formatFindings text', () => {
  it('prints one line per finding and a count', () => {
    expect(formatFindings(findings, 'text', options)).toBe(
      [
        '.github/workflows/a.yml:3:5: error single-platform-attestations: push: add --provenance=false',
        '.gitea/workflows/b,c.yml:10:1: warning attestations-explicitly-enabled: sbom: true makes an index: set sbom: false',
        'action.yml:1:1: note parse-error: 100% odd',
        '3 findings (1 error, 1 warning, 1 note)',
        `single-platform-attestations: ${ruleDocsUrl('single-platform-attestations')}`,
        `attestations-explicitly-enabled: ${ruleDocsUrl('attestations-explicitly-enabled')}`,
        `parse-error: ${ruleDocsUrl('parse-error')}`,
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing', () => {
    expect(formatFindings([], 'text', options)).toBe('no findings\n');
  });

  it('colours only the severity, and only when asked', () => {
    const [error, warning, note] = findings;
    expect(findingLine(error, true)).toBe(
      '.github/workflows/a.yml:3:5: \x1b[31merror\x1b[0m single-platform-attestations: push: add --provenance=false',
    );
    expect(findingLine(warning, true)).toContain(
      ': \x1b[33mwarning\x1b[0m attestations-explicitly-enabled: ',
    );
    expect(findingLine(note, true)).toContain(': \x1b[36mnote\x1b[0m parse-error: ');
    expect(formatFindings(findings, 'text', { ...options, color: false })).not.toContain('\x1b');
  });

  it('keeps control characters of a file name or message off the terminal', () => {
    expect(findingLine(finding({ file: 'evil\x1b[2J.yml', message: 'a\r\n  b\x07' }))).toBe(
      'evil\\x1b[2J.yml:12:9: error single-platform-attestations: a b\\x07',
    );
  });
});

describe('formatFindings json', () => {
  it('prints exactly the DESIGN.md shape, whatever else a finding carries', () => {
    const withExtra = [{ ...findings[0], fix: 'x', internal: 1 } as Finding];
    const printed = formatFindings(withExtra, 'json', options);
    expect(printed.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(printed);
    expect(parsed).toEqual({
      findings: [
        {
          file: '.github/workflows/a.yml',
          line: 3,
          column: 5,
          rule: 'single-platform-attestations',
          severity: 'error',
          message: 'push: add --provenance=false',
        },
      ],
    });
    expect(Object.keys(parsed.findings[0])).toEqual([
      'file',
      'line',
      'column',
      'rule',
      'severity',
      'message',
    ]);
  });

  it('prints an empty list when clean', () => {
    expect(JSON.parse(formatFindings([], 'json', options))).toEqual({ findings: [] });
  });
});

describe('formatFindings github', () => {
  it('prints escaped workflow commands, a note as ::notice', () => {
    expect(formatFindings(findings, 'github', options).split('\n')).toEqual([
      '::error file=.github/workflows/a.yml,line=3,col=5,title=single-platform-attestations (https%3A//github.com/buildx-guard/buildx-guard/blob/main/docs/rules/single-platform-attestations.md)::push: add --provenance=false',
      '::warning file=.gitea/workflows/b%2Cc.yml,line=10,col=1,title=attestations-explicitly-enabled (https%3A//github.com/buildx-guard/buildx-guard/blob/main/docs/rules/attestations-explicitly-enabled.md)::sbom: true makes an index:%0Aset sbom: false',
      '::notice file=action.yml,line=1,col=1,title=parse-error (https%3A//github.com/buildx-guard/buildx-guard/blob/main/docs/rules/parse-error.md)::100%25 odd',
      '',
    ]);
  });
});

describe('formatFindings sarif', () => {
  it('prints the SARIF log of toSarif as indented JSON', () => {
    const log = JSON.parse(formatFindings(findings, 'sarif', options));
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].tool.driver.semanticVersion).toBe('1.2.3');
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(findings.map((f) => f.rule));
    const withUri = JSON.parse(
      formatFindings([], 'sarif', { ...options, informationUri: 'https://example.test/bg' }),
    );
    expect(withUri.runs[0].tool.driver.informationUri).toBe('https://example.test/bg');
  });
});

describe('formatFindings', () => {
  it.each<FindingsFormat>(['text', 'json', 'sarif', 'github'])('%s ends with a newline', (format) => {
    const printed = formatFindings(findings, format, options);
    expect(printed.endsWith('\n')).toBe(true);
  });
});
