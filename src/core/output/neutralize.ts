// Text from outside (registry answers, repository content) made harmless where it is rendered. Every output
// path goes through here: the Log (runner log, CLI stderr), the CLI's stdout printers, workflow commands and
// the job summary. See SECURITY.md.

// C0 controls but tab and newline, DEL, C1 (U+0085 NEL and U+009B CSI included), the Unicode line and
// paragraph separators, and the bidirectional overrides and isolates that reorder what a reader sees.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_AND_NEWLINES = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeCode(char: string): string {
  const code = char.charCodeAt(0);
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** Control characters as visible escapes (`\x1b`, `\u{202e}`); tabs and newlines are kept. */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, escapeCode);
}

/** A value that must stay on its line (a name, a platform, a registry's message): newlines escaped too. */
export function inline(text: string): string {
  return text.replace(CONTROLS_AND_NEWLINES, escapeCode);
}

/**
 * Text for the runner's log or a terminal: control characters escaped, and no line the runner reads as a
 * workflow command. GitHub's runner takes a line whose first non-blank characters are `::` as a command, and
 * its older form `##[command]` anywhere in a line; act-based runners (Gitea, Forgejo) read both at the start.
 */
export function safeLogText(text: string): string {
  return escapeControls(text)
    .split('\n')
    .map((line) => line.replace(/##\[/g, '##\\x5b').replace(/^(\s*):(?=:)/, '$1\\x3a'))
    .join('\n');
}

// What JSON.stringify leaves raw of the characters above (it escapes C0 itself).
const JSON_UNESCAPED = /[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON for stdout or an output: JSON.stringify already escapes C0, this also escapes DEL, C1 and the other
 * characters above (still valid JSON, same value once parsed).
 */
export function safeJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    JSON_UNESCAPED,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// What Markdown or GitHub's HTML could read as markup in running text: emphasis, code, link and image
// brackets (without `[` no `(` or `!` can make a link), table pipes, HTML, and autolinks, broken at the `:` of
// `scheme://` and at the dot of `www.`.
const MARKDOWN = /[\\`*_[\]|~<>&]|:(?=\/\/)|(?<=www)\./gi;
const HTML_ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/**
 * Outside text inside job-summary Markdown, on one line: controls and newlines escaped, HTML as entities, and
 * every other markup character backslash-escaped, so it renders as the literal text and never as a link, an
 * image, a table cell break or an HTML tag.
 */
export function markdownText(text: string): string {
  return inline(text).replace(MARKDOWN, (char) => HTML_ENTITY[char] ?? `\\${char}`);
}

/**
 * Outside text as an inline code span: fenced with more backticks than any run inside it, so nothing in it can
 * close the span; inside a span Markdown and HTML are literal. (A table cell still needs its pipes escaped.)
 */
export function markdownCode(text: string): string {
  const value = inline(text);
  const longest = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = value.startsWith('`') || value.endsWith('`') || value === '' ? ' ' : '';
  return `${fence}${pad}${value}${pad}${fence}`;
}
