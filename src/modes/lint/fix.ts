// `--fix`: inserts the flags or inputs that turn default attestations off, in place. Only insertions, at
// offsets the linter mapped exactly, so comments, quoting and layout are untouched.
import { renameSync, writeFileSync } from 'node:fs';
import { Edit } from './model';
import { readSource } from './source';

export function applyEdits(text: string, edits: readonly Edit[]): string {
  const unique = [...new Map(edits.map((edit) => [`${edit.offset}\0${edit.insert}`, edit])).values()];
  // From the end, so each offset is still where it was found.
  return unique
    .sort((a, b) => b.offset - a.offset)
    .reduce((result, edit) => result.slice(0, edit.offset) + edit.insert + result.slice(edit.offset), text);
}

/** Applies the edits to each file (written to a temp name and renamed); returns how many files changed. */
export function fixFiles(fixes: ReadonlyMap<string, readonly Edit[]>): number {
  let changed = 0;
  for (const [path, edits] of fixes) {
    const source = readSource(path);
    if (!('text' in source) || edits.length === 0) continue;
    const temp = `${path}.${process.pid}.fix`;
    writeFileSync(temp, `${source.bom ? '\uFEFF' : ''}${applyEdits(source.text, edits)}`);
    renameSync(temp, path);
    changed++;
  }
  return changed;
}
