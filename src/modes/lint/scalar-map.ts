// Where each character of a YAML scalar's value sits in the file, so a finding inside a `run:` script points at
// the exact line and column. The value is rebuilt from the source with an offset per character (block
// indentation removed, folding and escapes applied) and checked against the value the yaml package parsed: when
// they agree the map is exact; when they do not (a style this does not model, such as an explicit indentation
// indicator), every offset falls back to the scalar's first content line, which is still the right step.
import { Scalar } from 'yaml';

export interface ScalarMap {
  /** The file offset of the value's character at `index` (`index` may be the value's length). */
  offset(index: number): number;
  /** True when offsets are exact, so an edit at an offset lands where the character is. */
  exact: boolean;
}

interface Rebuilt {
  text: string;
  /** One file offset per character of `text`, plus one for its end. */
  offsets: number[];
}

export function mapScalar(source: string, scalar: Scalar): ScalarMap {
  const value = String(scalar.value);
  const [start, end] = scalar.range ?? [0, 0];
  const rebuilt = rebuild(source, start, end, scalar.type);
  if (rebuilt && rebuilt.text.length >= value.length && rebuilt.text.startsWith(value)) {
    const { offsets } = rebuilt;
    return { exact: true, offset: (index) => offsets[Math.min(Math.max(index, 0), offsets.length - 1)] };
  }
  const fallback = firstContentOffset(source, start, scalar.type);
  return { exact: false, offset: () => fallback };
}

function rebuild(source: string, start: number, end: number, type: Scalar['type']): Rebuilt | undefined {
  switch (type) {
    case Scalar.BLOCK_LITERAL:
    case Scalar.BLOCK_FOLDED:
      return rebuildBlock(source, start, end, type === Scalar.BLOCK_FOLDED);
    case Scalar.QUOTE_DOUBLE:
      return rebuildFlow(source, start + 1, end - 1, 'double');
    case Scalar.QUOTE_SINGLE:
      return rebuildFlow(source, start + 1, end - 1, 'single');
    default:
      return rebuildFlow(source, start, end, 'plain');
  }
}

/** Where a block scalar's content starts (the line after its `|` header); any other scalar's own start. */
function firstContentOffset(source: string, start: number, type: Scalar['type']): number {
  if (type !== Scalar.BLOCK_LITERAL && type !== Scalar.BLOCK_FOLDED) return start;
  const newline = source.indexOf('\n', start);
  if (newline < 0) return start;
  const contentStart = newline + 1;
  const indent = /^[ ]*/.exec(source.slice(contentStart))?.[0].length ?? 0;
  return contentStart + indent;
}

interface Line {
  /** Offset of the line's first character after the block's indentation (or its end, when shorter). */
  start: number;
  content: string;
  /** Offset of the line break (or the end of the block). */
  end: number;
}

function rebuildBlock(source: string, start: number, end: number, folded: boolean): Rebuilt | undefined {
  const headerEnd = source.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= end) return { text: '', offsets: [end] };
  // An explicit indentation indicator counts from the parent's indentation, which is not known here.
  if (/^[|>][-+]?[1-9]/.test(source.slice(start, headerEnd))) return undefined;
  const lines = blockLines(source, headerEnd + 1, end);
  const out = new Builder();
  if (!folded) {
    for (const line of lines) {
      out.append(line.content, line.start);
      out.push('\n', line.end);
    }
    out.finish(end);
    return out.result();
  }
  // Folding (YAML 1.2, 8.1.3): a break between two plain lines becomes a space, a break before empty lines
  // is dropped, and breaks next to more-indented lines are kept.
  let separator = '';
  let separatorAt = start;
  let previousMoreIndented = false;
  let started = false;
  for (const line of lines) {
    if (!started && line.content === '') {
      out.push('\n', line.end);
      continue;
    }
    started = true;
    if (line.content.startsWith(' ') || line.content.startsWith('\t')) {
      if (separator === ' ') separator = '\n';
      else if (!previousMoreIndented && separator === '\n') separator = '\n\n';
      out.repeat(separator, separatorAt);
      out.append(line.content, line.start);
      separator = '\n';
      separatorAt = line.end;
      previousMoreIndented = true;
    } else if (line.content === '') {
      if (separator === '\n') out.push('\n', line.end);
      else separator = '\n';
    } else {
      out.repeat(separator, separatorAt);
      out.append(line.content, line.start);
      separator = ' ';
      separatorAt = line.end;
      previousMoreIndented = false;
    }
  }
  out.push('\n', separatorAt);
  out.finish(end);
  return out.result();
}

/** The lines of a block scalar's content, with the indentation of its first non-empty line removed. */
function blockLines(source: string, from: number, end: number): Line[] {
  const raw: { start: number; end: number }[] = [];
  for (let lineStart = from; lineStart < end;) {
    let lineEnd = source.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    const breakAt = source[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    raw.push({ start: lineStart, end: breakAt });
    lineStart = lineEnd + 1;
  }
  const firstContent = raw.find((line) => source.slice(line.start, line.end).trim() !== '');
  const indent = firstContent
    ? (/^[ ]*/.exec(source.slice(firstContent.start, firstContent.end))?.[0].length ?? 0)
    : 0;
  return raw.map((line) => {
    const contentStart = Math.min(line.start + indent, line.end);
    return { start: contentStart, content: source.slice(contentStart, line.end), end: line.end };
  });
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * A plain or quoted scalar between `from` and `to`: a line break with the whitespace around it becomes a space,
 * each empty line a newline; in double quotes, escapes are decoded and an escaped line break joins the lines.
 */
function rebuildFlow(
  source: string,
  from: number,
  to: number,
  style: 'plain' | 'single' | 'double',
): Rebuilt {
  const out = new Builder();
  let pending: [string, number][] = [];
  const flush = () => {
    for (const [ch, at] of pending) out.push(ch, at);
    pending = [];
  };
  for (let i = from; i < to;) {
    const ch = source[i];
    const lineBreak = lineBreakLength(source, i);
    if (lineBreak > 0) {
      pending = [];
      const next = skipFoldedLines(source, i + lineBreak, to);
      out.repeat(next.emptyLines === 0 ? ' ' : '\n'.repeat(next.emptyLines), i);
      i = next.at;
    } else if (ch === ' ' || ch === '\t') {
      pending.push([ch, i]);
      i++;
    } else if (style === 'double' && ch === '\\') {
      flush();
      const escapedBreak = lineBreakLength(source, i + 1);
      if (escapedBreak > 0) {
        const next = skipFoldedLines(source, i + 1 + escapedBreak, to);
        out.repeat('\n'.repeat(next.emptyLines), i);
        i = next.at;
        continue;
      }
      const code = source[i + 1];
      const hexLength = HEX_ESCAPE_LENGTH[code];
      if (hexLength) {
        const decoded = String.fromCodePoint(parseInt(source.slice(i + 2, i + 2 + hexLength), 16) || 0);
        out.repeat(decoded, i);
        i += 2 + hexLength;
      } else {
        out.push(ESCAPES[code] ?? code, i);
        i += 2;
      }
    } else if (style === 'single' && ch === "'" && source[i + 1] === "'") {
      flush();
      out.push("'", i);
      i += 2;
    } else {
      flush();
      out.push(ch, i);
      i++;
    }
  }
  if (style !== 'plain') flush();
  out.finish(to);
  return out.result();
}

function lineBreakLength(source: string, at: number): number {
  if (source[at] === '\n') return 1;
  if (source[at] === '\r' && source[at + 1] === '\n') return 2;
  return 0;
}

/** Skips the indentation of the next line and any empty lines; says how many empty lines there were. */
function skipFoldedLines(source: string, from: number, to: number): { at: number; emptyLines: number } {
  let at = from;
  let emptyLines = 0;
  for (;;) {
    while (at < to && (source[at] === ' ' || source[at] === '\t')) at++;
    const lineBreak = lineBreakLength(source, at);
    if (lineBreak === 0 || at >= to) return { at, emptyLines };
    emptyLines++;
    at += lineBreak;
  }
}

class Builder {
  private text = '';
  private readonly offsets: number[] = [];

  push(ch: string, at: number): void {
    this.text += ch;
    this.offsets.push(at);
  }

  /** Several characters that all come from one place (a separator, a decoded escape). */
  repeat(chars: string, at: number): void {
    for (let i = 0; i < chars.length; i++) this.push(chars[i], at);
  }

  append(chars: string, at: number): void {
    for (let i = 0; i < chars.length; i++) this.push(chars[i], at + i);
  }

  finish(at: number): void {
    this.offsets.push(at);
  }

  result(): Rebuilt {
    return { text: this.text, offsets: this.offsets };
  }
}
