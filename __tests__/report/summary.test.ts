import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendJobSummary, escapeCell, markdownTable } from '../../src/core/output/summary';

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
  it.each([
    ['plain', 'plain'],
    ['a|b', 'a\\|b'],
    ['back\\slash', 'back\\\\slash'],
    ['one\r\ntwo', 'one<br>two'],
  ])('escapeCell(%j) = %j', (input, expected) => expect(escapeCell(input)).toBe(expected));
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
});
