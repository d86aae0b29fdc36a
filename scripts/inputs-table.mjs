// Generates the README's reference table of inputs and outputs from action.yml, so the two cannot drift.
//   node scripts/inputs-table.mjs          rewrite the table between the markers in README.md
//   node scripts/inputs-table.mjs --check  exit 1 when README.md's table differs from action.yml
// --readme FILE and --action FILE point at other files (the tests use copies).
// Exit codes: 0 up to date (or rewritten), 1 stale (--check), 2 usage error or missing markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import * as prettier from 'prettier';

const START_MARKER = '<!-- inputs-table:start -->';
const END_MARKER = '<!-- inputs-table:end -->';

/** Keeps a value inside its table cell: a pipe or a newline would otherwise end it. */
function cell(text) {
  return String(text)
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
}

function code(text) {
  return text === '' ? '' : `\`${cell(text)}\``;
}

/** The markdown between the markers (markers excluded), before formatting. */
function renderTables(action) {
  const inputs = Object.entries(action.inputs ?? {});
  const outputs = Object.entries(action.outputs ?? {});
  const inputRows = inputs.map(([name, spec]) => {
    const fallback = spec.default === undefined ? '' : String(spec.default);
    const required = spec.required === true || spec.required === 'true' ? ' (required)' : '';
    return `| \`${name}\`${required} | ${code(fallback)} | ${cell(spec.description ?? '')} |`;
  });
  const outputRows = outputs.map(([name, spec]) => `| \`${name}\` | ${cell(spec.description ?? '')} |`);
  return [
    '',
    '#### Inputs',
    '',
    '| Input | Default | Description |',
    '| --- | --- | --- |',
    ...inputRows,
    '',
    '#### Outputs',
    '',
    '| Output | Description |',
    '| --- | --- |',
    ...outputRows,
    '',
  ].join('\n');
}

/** The block as it must appear in the README: markers included, formatted as prettier formats the README. */
async function renderBlock(action, readmePath) {
  const options = (await prettier.resolveConfig(readmePath)) ?? {};
  const markdown = `${START_MARKER}\n${renderTables(action)}\n${END_MARKER}\n`;
  return (await prettier.format(markdown, { ...options, parser: 'markdown' })).trimEnd();
}

/** The README's current block (markers included), or null when a marker is missing or out of order. */
function findBlock(readme) {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  if (start === -1 || end === -1 || end < start) return null;
  return { start, end: end + END_MARKER.length };
}

function parseArgs(argv) {
  const args = { check: false, readme: 'README.md', action: 'action.yml' };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--check') args.check = true;
    else if ((arg === '--readme' || arg === '--action') && argv[i + 1]) args[arg.slice(2)] = argv[(i += 1)];
    else
      return { error: `Unknown argument ${JSON.stringify(arg)}. Use --check, --readme FILE, --action FILE.` };
  }
  return args;
}

async function main(argv) {
  const args = parseArgs(argv);
  if (args.error) {
    console.error(args.error);
    return 2;
  }
  const action = parse(readFileSync(args.action, 'utf8'));
  const readme = readFileSync(args.readme, 'utf8');
  const found = findBlock(readme);
  if (!found) {
    console.error(`${args.readme} has no "${START_MARKER}" ... "${END_MARKER}" block to fill.`);
    return 2;
  }
  const expected = await renderBlock(action, args.readme);
  const current = readme.slice(found.start, found.end);
  if (current === expected) return 0;
  if (args.check) {
    console.error(
      `The inputs table in ${args.readme} is stale: it differs from ${args.action}. Run: node scripts/inputs-table.mjs`,
    );
    return 1;
  }
  writeFileSync(args.readme, readme.slice(0, found.start) + expected + readme.slice(found.end));
  console.error(`Rewrote the inputs table in ${args.readme} from ${args.action}.`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
