import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendJobSummary, markdownTable, SUMMARY_MAX_BYTES } from '../../src/core/output/summary';

describe('markdownTable', () => {
  it('renders a header, a separator and escaped rows', () => {
    expect(
      markdownTable(
        ['tag', 'type'],
        [
          ['r:1', 'a|b'],
          ['r:2', 'x\ny'],
        ],
      ),
    ).toBe('| tag | type |\n| --- | --- |\n| r:1 | a\\|b |\n| r:2 | x<br>y |\n');
  });
  it('shows a code cell as code, escaped', () => {
    expect(markdownTable(['a'], [[{ code: 'x`<y>|' }]])).toBe('| a |\n| --- |\n| ``x`<y>\\|`` |\n');
  });
});

describe('appendJobSummary', () => {
  it('writes nothing without GITHUB_STEP_SUMMARY (Gitea, Forgejo, a terminal)', () => {
    expect(appendJobSummary('# hi', {})).toBe(false);
  });
  it('appends with a trailing newline where the runner provides a summary file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bxg-summary-')), 'summary.md');
    expect(appendJobSummary('# one', { GITHUB_STEP_SUMMARY: path })).toBe(true);
    appendJobSummary('two\n', { GITHUB_STEP_SUMMARY: path });
    expect(readFileSync(path, 'utf8')).toBe('# one\ntwo\n');
  });
  it("keeps the step summary under GitHub's 1 MiB, cutting at a line with a note", () => {
    const path = join(mkdtempSync(join(tmpdir(), 'bxg-summary-')), 'summary.md');
    appendJobSummary('# head\n', { GITHUB_STEP_SUMMARY: path });
    appendJobSummary('| row |\n'.repeat(200_000), { GITHUB_STEP_SUMMARY: path });
    appendJobSummary('more\n', { GITHUB_STEP_SUMMARY: path });
    const text = readFileSync(path, 'utf8');
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
    expect(text.startsWith('# head\n| row |\n')).toBe(true);
    expect(text).toContain('the rest is cut: a job summary holds at most 1 MiB');
    expect(
      text
        .split('\n')
        .filter((line) => line.startsWith('|'))
        .every((line) => line === '| row |'),
    ).toBe(true);
  });
});
