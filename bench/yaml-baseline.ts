// The lint bench's baseline: read and parse every file lint mode would scan with the `yaml` package alone
// (parseDocument with a LineCounter, as a linter that reports positions must), one file at a time.
// Usage: node yaml-baseline.js ROOT   → prints {"files":N,"yamlErrors":N} on stdout.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { lintableFiles } from './lib/discover';

let files = 0;
let yamlErrors = 0;
for (const path of lintableFiles(process.argv[2])) {
  const document = parseDocument(readFileSync(path, 'utf8'), { lineCounter: new LineCounter() });
  yamlErrors += document.errors.length;
  files++;
}
process.stdout.write(JSON.stringify({ files, yamlErrors }) + '\n');
