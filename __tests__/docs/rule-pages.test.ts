// Every lint rule has its page, docs/rules/<rule-id>.md, which the findings link to: what it catches, why, examples,
// fixes, and how to ignore it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ruleDocsUrl } from '../../src/modes/lint/finding';
import { RULES } from '../../src/modes/lint/rules';
import { readRepoFile, ROOT } from './markdown';

const SECTIONS = ['## What it catches', '## Why it matters', '## Examples', '## Fixes', '## Ignoring it'];

describe.each(RULES.map((rule) => [rule.id, rule] as const))('the page of %s', (id, rule) => {
  const path = `docs/rules/${id}.md`;

  it('exists, is titled with the rule and its severity, and has every section', () => {
    expect(existsSync(join(ROOT, path))).toBe(true);
    const page = readRepoFile(path);
    expect(page.split('\n')[0]).toBe(`# \`${id}\` (${rule.defaultSeverity})`);
    expect(SECTIONS.filter((section) => !page.includes(`\n${section}\n`))).toEqual([]);
    expect(page).toContain(`ignore[${id}]`);
  });

  it('is where the findings link to', () => {
    expect(ruleDocsUrl(id).endsWith(`/${path}`)).toBe(true);
  });
});
