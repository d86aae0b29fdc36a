// `--fix`: inserts the flags or inputs that turn default attestations off, in place. Only insertions, at
// offsets the linter mapped exactly, so comments, quoting and layout are untouched.
import { writeContained } from './contained';
import { Edit } from './model';
import { readSource } from './source';

export function applyEdits(text: string, edits: readonly Edit[]): string {
  const unique = [...new Map(edits.map((edit) => [`${edit.offset}\0${edit.insert}`, edit])).values()];
  // From the end, so each offset is still where it was found.
  return unique
    .sort((a, b) => b.offset - a.offset)
    .reduce((result, edit) => result.slice(0, edit.offset) + edit.insert + result.slice(edit.offset), text);
}

/**
 * Applies the edits to each file, never outside `root` nor through a symbolic link (writeContained); returns
 * how many files changed.
 */
export function fixFiles(fixes: ReadonlyMap<string, readonly Edit[]>, root: string): number {
  let changed = 0;
  for (const [path, edits] of fixes) {
    const source = readSource(path, root);
    if (!('text' in source) || edits.length === 0) continue;
    writeContained(root, path, `${source.bom ? '\uFEFF' : ''}${applyEdits(source.text, edits)}`);
    changed++;
  }
  return changed;
}
