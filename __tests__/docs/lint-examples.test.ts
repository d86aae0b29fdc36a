// Every workflow the docs show lints clean with buildx-guard's own lint mode: the example files, the reusable
// workflow, and each YAML block of README.md and TROUBLESHOOTING.md that is a workflow or a list of steps (a list
// of steps is linted inside a minimal workflow). A snippet that shows a bad pattern on purpose carries an inline
// ignore, which this test therefore checks too.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { lintPaths } from '../../src/modes/lint';
import { DEFAULT_LINT_POLICY } from '../../src/modes/lint/config';
import { cliLog } from '../../src/core/output/log';
import { fencedBlocks, filesUnder, readRepoFile, ROOT } from './markdown';

const STEPS_WRAPPER = 'on: push\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n';
const WRAPPER_LINES = STEPS_WRAPPER.split('\n').length - 1;

/** A YAML block as a file to lint: a workflow as it is, a list of steps inside a workflow, anything else not at all. */
function asWorkflow(text: string): string | undefined {
  const value: unknown = parse(text);
  const isStep = (item: unknown) =>
    typeof item === 'object' && item !== null && ('uses' in item || 'run' in item);
  if (Array.isArray(value) && value.length > 0 && value.every(isStep)) {
    return STEPS_WRAPPER + text.replace(/^(?=.)/gm, '      ');
  }
  if (typeof value === 'object' && value !== null && 'jobs' in value) return text;
  return undefined;
}

const snippets = ['README.md', 'TROUBLESHOOTING.md'].flatMap((doc) =>
  fencedBlocks(readRepoFile(doc))
    .filter((block) => block.lang === 'yaml')
    .map((block) => ({ name: `${doc}:${block.line}`, text: asWorkflow(block.body) }))
    .filter((snippet): snippet is { name: string; text: string } => snippet.text !== undefined),
);

let dir: string;
const warnings: string[] = [];
const log = cliLog({ write: (text) => warnings.push(text) });

/** Lints one file's text as `.github/workflows/<name>` of a repository of its own. */
async function lintText(name: string, text: string) {
  const path = `.github/workflows/${name.replace(/[^\w.-]/g, '_')}.yml`;
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
  return lintPaths({ root: dir, paths: [path], policy: DEFAULT_LINT_POLICY, log });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lint-examples-'));
  warnings.length = 0;
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the docs snippets lint clean', () => {
  it('finds the workflows and step lists among the snippets', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(4);
  });

  it.each(snippets.map((s) => [s.name, s.text]))('%s', async (name, text) => {
    expect(await lintText(name, text)).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it.each([
    ...filesUnder('examples').filter((path) => path.endsWith('.yml')),
    '.github/workflows/buildx-guard-lint.yml',
  ])('%s', async (path) => {
    expect(await lintPaths({ root: ROOT, paths: [path], policy: DEFAULT_LINT_POLICY, log })).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

describe('this harness', () => {
  const ignored = snippets.find((s) => s.text.includes('# buildx-guard: ignore['));

  it('sees a bad pattern in a snippet: the README inline ignore, without its comment, is a finding', async () => {
    const text = (ignored?.text ?? '').replace(/ # buildx-guard: ignore\[.*$/m, '');
    const findings = await lintText('without-ignore', text);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'single-platform-attestations',
        severity: 'error',
        line: WRAPPER_LINES + 1,
      }),
    ]);
  });
});
