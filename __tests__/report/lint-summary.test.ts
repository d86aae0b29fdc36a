import { Finding, ruleDocsUrl } from '../../src/modes/lint/finding';
import { lintSummaryMarkdown, SUMMARY_ROW_LIMIT } from '../../src/modes/lint/report/lint-summary';
import { finding, TEST_RULES } from './fixtures/rules';

describe('lintSummaryMarkdown', () => {
  it('says so when clean', () => {
    expect(lintSummaryMarkdown([], TEST_RULES)).toBe(
      '### buildx-guard lint: no findings\n\nNo build or merge in the linted workflow files breaks the policy.\n',
    );
  });

  it('counts, lists the most severe first, and explains the rules that fired', () => {
    const findings: Finding[] = [
      finding({
        file: 'b.yml',
        line: 9,
        severity: 'warning',
        rule: 'attestations-explicitly-enabled',
        message: 'sbom: true',
      }),
      finding({ file: 'b.yml', line: 2, message: 'tags <image>: add a|b & c\nthen push' }),
      finding({ file: 'a.yml', line: 30, message: 'first by file' }),
    ];
    expect(lintSummaryMarkdown(findings, TEST_RULES)).toBe(
      [
        '### buildx-guard lint: 3 findings (2 errors, 1 warning)',
        '',
        '| severity | rule | location | message |',
        '| --- | --- | --- | --- |',
        '| error | `single-platform-attestations` | `a.yml:30` | first by file |',
        '| error | `single-platform-attestations` | `b.yml:2` | tags &lt;image&gt;: add a\\|b &amp; c<br>then push |',
        '| warning | `attestations-explicitly-enabled` | `b.yml:9` | sbom: true |',
        '',
        `- [\`single-platform-attestations\`](${ruleDocsUrl('single-platform-attestations')}): ${TEST_RULES[0].summary}`,
        `- [\`attestations-explicitly-enabled\`](${ruleDocsUrl('attestations-explicitly-enabled')}): ${TEST_RULES[2].summary}`,
        '',
      ].join('\n'),
    );
  });

  it(`shows at most ${SUMMARY_ROW_LIMIT} rows, errors first, and counts the rest`, () => {
    const notes = Array.from({ length: SUMMARY_ROW_LIMIT }, (_, i) =>
      finding({ file: 'n.yml', line: i + 1, severity: 'note', message: `note ${i + 1}` }),
    );
    const errors = Array.from({ length: 5 }, (_, i) =>
      finding({ file: 'z.yml', line: i + 1, message: `error ${i + 1}` }),
    );
    const markdown = lintSummaryMarkdown([...notes, ...errors], TEST_RULES);
    const rows = markdown
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| severity'));
    expect(rows).toHaveLength(SUMMARY_ROW_LIMIT + 1); // the separator line starts with "| " too
    expect(rows.slice(1, 6).every((row) => row.startsWith('| error |'))).toBe(true);
    expect(markdown).toContain('\n… and 5 more findings: see the step log or the SARIF file.\n');
    expect(markdown).toContain('| note | `single-platform-attestations` | `n.yml:95` | note 95 |');
    expect(markdown).not.toContain('note 96');
  });
});
