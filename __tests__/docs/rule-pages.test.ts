// Every lint rule has its page, docs/rules/<rule-id>.md, which the findings link to: what it catches, why, examples,
// fixes, and how to ignore it.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliLog } from '../../src/core/output/log';
import { DEFAULT_LINT_POLICY, parseLintPolicy } from '../../src/modes/lint/config';
import { lintPaths } from '../../src/modes/lint/index';
import { ruleDocsUrl } from '../../src/modes/lint/finding';
import { RULES } from '../../src/modes/lint/rules';
import { fencedBlocks, readRepoFile, ROOT } from './markdown';

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

describe('the examples of the single-platform-attestations page', () => {
  const [policy, flagged, fine, note] = fencedBlocks(
    readRepoFile('docs/rules/single-platform-attestations.md'),
  )
    .filter((block) => block.lang === 'yaml')
    .map((block) => block.body);
  const indent = (text: string, by: number) =>
    text
      .split('\n')
      .map((line) => (line === '' ? line : `${' '.repeat(by)}${line}`))
      .join('\n');
  const lint = async (workflow: string) => {
    const root = mkdtempSync(join(tmpdir(), 'rule-page-'));
    try {
      mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
      writeFileSync(join(root, '.github', 'workflows', 'example.yml'), workflow);
      const log = cliLog({ write: () => undefined });
      return await lintPaths({ root, paths: [], policy: DEFAULT_LINT_POLICY, log });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
  const job = 'on: push\njobs:\n  build:\n';
  const steps = `${job}    runs-on: ubuntu-latest\n    steps:\n`;

  it('flags the lines marked error, and only those', async () => {
    const findings = await lint(`${job}${indent(flagged, 4)}`);
    const marked = flagged.split('\n').flatMap((line, i) => (line.includes('# error') ? [i + 4] : []));
    expect(marked).toHaveLength(2);
    expect(findings.map((finding) => [finding.line, finding.severity])).toEqual(
      marked.map((line) => [line, 'error']),
    );
  });

  it('flags nothing in the fixed ones, and makes a note of the opaque word', async () => {
    expect(await lint(`${steps}${indent(fine, 6)}`)).toEqual([]);
    expect((await lint(`${steps}${indent(note, 6)}`)).map((finding) => finding.severity)).toEqual(['note']);
  });

  it('states a policy the loader reads', () => {
    expect(parseLintPolicy(policy, 'page').imageStore).toEqual({ labels: new Map(), others: 'containerd' });
  });
});
