// What a pull request changes, as lint needs it: which files, and which of their lines (of the new file).
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';

export interface Changes {
  /** Each changed file (its new path) → the lines the PR adds or changes, or 'all' when they are unknown. */
  files: ReadonlyMap<string, ReadonlySet<number> | 'all'>;
}

export function isChangedFile(changes: Changes, file: string): boolean {
  return changes.files.has(file);
}

/** True when the PR changes a line of `file` from `from` to `to` (inclusive). */
export function changesWithin(changes: Changes, file: string, [from, to]: Span): boolean {
  const lines = changes.files.get(file);
  if (lines === undefined) return false;
  if (lines === 'all') return true;
  for (const line of lines) if (line >= from && line <= to) return true;
  return false;
}

/** First and last line, inclusive. */
export type Span = [number, number];

/**
 * The lines of every workflow or composite-action step in a YAML text (items of a `steps:` sequence): a
 * finding is on its step's first line, but the PR may have changed the step on any of its lines (adding
 * `push: true` below a `uses:`). Text that does not parse has no steps.
 */
export function stepSpans(text: string): Span[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  if (doc.errors.length > 0) return [];
  const spans: Span[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== 'steps' || !isSeq(pair.value)) return;
      for (const item of pair.value.items) {
        if (!isMap(item) || !item.range) continue;
        const from = lineCounter.linePos(item.range[0]).line;
        // range[1] is the end of the value; a trailing newline belongs to the next line.
        const end = Math.max(item.range[0], item.range[1] - 1);
        spans.push([from, lineCounter.linePos(end).line]);
      }
    },
  });
  return spans;
}

/** The innermost step around `line`, or the line alone when it is in no step. */
export function spanAround(spans: readonly Span[], line: number): Span {
  let best: Span = [line, line];
  let found = false;
  for (const span of spans) {
    if (span[0] > line || span[1] < line) continue;
    if (!found || span[1] - span[0] < best[1] - best[0]) best = span;
    found = true;
  }
  return best;
}
