// The README's inputs and outputs table is generated from action.yml; CI fails when it is stale.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { readRepoFile, ROOT } from './markdown';

const SCRIPT = join(ROOT, 'scripts', 'inputs-table.mjs');
const START = '<!-- inputs-table:start -->';
const END = '<!-- inputs-table:end -->';

function runScript(...args: string[]) {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: result.status, stderr: result.stderr };
}

function tableOf(readme: string): string {
  return readme.slice(readme.indexOf(START), readme.indexOf(END));
}

/** The first column of each table row between the markers: `name`, without backticks. */
function namesIn(table: string): string[] {
  return [...table.matchAll(/^\|\s*`([^`]+)`/gm)].map((match) => match[1]);
}

describe('the README inputs table', () => {
  it('is up to date with action.yml (node scripts/inputs-table.mjs --check)', () => {
    expect(runScript('--check')).toEqual({ code: 0, stderr: '' });
  });

  it('lists every input and output of action.yml, in order', () => {
    const action = parse(readRepoFile('action.yml'));
    const names = [...Object.keys(action.inputs), ...Object.keys(action.outputs)];
    expect(namesIn(tableOf(readRepoFile('README.md')))).toEqual(names);
  });
});

describe('scripts/inputs-table.mjs', () => {
  let dir: string;
  let readme: string;
  let action: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'inputs-table-'));
    readme = join(dir, 'README.md');
    action = join(dir, 'action.yml');
    copyFileSync(join(ROOT, 'README.md'), readme);
    copyFileSync(join(ROOT, 'action.yml'), action);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function addInput(name: string, description: string, fallback?: string) {
    const spec = parse(readFileSync(action, 'utf8'));
    spec.inputs[name] = fallback === undefined ? { description } : { description, default: fallback };
    writeFileSync(action, stringify(spec));
  }

  it('reports a stale table with exit 1 and changes nothing', () => {
    addInput('new-input', 'A new input.');
    const before = readFileSync(readme, 'utf8');
    const result = runScript('--check', '--readme', readme, '--action', action);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is stale');
    expect(result.stderr).toContain('node scripts/inputs-table.mjs');
    expect(readFileSync(readme, 'utf8')).toBe(before);
  });

  it('rewrites only the block between the markers, after which --check passes', () => {
    addInput('cache-key', 'Pipes | and\nnewlines stay in one cell.', 'a|b');
    const before = readFileSync(readme, 'utf8');
    expect(runScript('--readme', readme, '--action', action).code).toBe(0);
    const after = readFileSync(readme, 'utf8');
    expect(after.slice(0, after.indexOf(START))).toBe(before.slice(0, before.indexOf(START)));
    expect(after.slice(after.indexOf(END))).toBe(before.slice(before.indexOf(END)));
    const row = tableOf(after)
      .split('\n')
      .find((line) => line.startsWith('| `cache-key`'));
    expect(row).toMatch(
      /^\| `cache-key`\s*\| `a\\\|b`\s*\| Pipes \\\| and newlines stay in one cell\.\s*\|$/,
    );
    expect(runScript('--check', '--readme', readme, '--action', action).code).toBe(0);
  });

  it('drops an input that action.yml no longer has', () => {
    const spec = parse(readFileSync(action, 'utf8'));
    delete spec.inputs['verify-blobs'];
    writeFileSync(action, stringify(spec));
    expect(runScript('--check', '--readme', readme, '--action', action).code).toBe(1);
    expect(runScript('--readme', readme, '--action', action).code).toBe(0);
    expect(namesIn(tableOf(readFileSync(readme, 'utf8')))).not.toContain('verify-blobs');
  });

  it.each([
    ['no markers', (text: string) => text.replace(START, '').replace(END, '')],
    [
      'the end marker first',
      (text: string) => text.replace(START, '@@start@@').replace(END, START).replace('@@start@@', END),
    ],
  ])('exits 2 when the README has %s', (_name, mangle) => {
    writeFileSync(readme, mangle(readFileSync(readme, 'utf8')));
    const result = runScript('--check', '--readme', readme, '--action', action);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(START);
  });

  it('exits 2 on an unknown argument, naming it', () => {
    const result = runScript('--chek');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"--chek"');
  });
});
