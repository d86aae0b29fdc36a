// Untrusted text (file names, image references and expressions from the repository, in messages) rendered in a
// pull-request comment. Markdown would otherwise turn it into links, images, HTML, mentions that notify
// people, or rows that break the table. Code spans the message itself opens with backticks stay code spans:
// their content is literal, so only backticks and pipes need care there.

/**
 * Text for a comment line or table cell: nothing in it is markup. It never starts a line, so only inline
 * markup matters: emphasis, code, links and images (`[`), HTML and entities, table pipes, strikethrough, and
 * mentions, which would notify people (`@` gets a zero-width space after it).
 */
export function markdownText(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]<>&|~]/g, (ch) => ENTITIES[ch] ?? `\\${ch}`)
    .replace(/@/g, '@\u200b');
}

/** A message: `code` spans kept as code (pipes escaped for the table), everything else as markdownText. */
export function markdownMessage(text: string): string {
  const parts = oneLine(text).split('`');
  // An unmatched backtick is plain text.
  const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
  return parts
    .map((part, index) => {
      if (index % 2 === 0 || index >= closed) return markdownText(index >= closed ? `\`${part}` : part);
      return part.trim() === '' ? markdownText(`\`${part}\``) : `\`${part.replace(/\|/g, '\\|')}\``;
    })
    .join('');
}

/** A link destination: nothing in it can end the destination early (spaces, parentheses, brackets, quotes). */
export function markdownUrl(url: string): string {
  return url.replace(
    /[\s()<>[\]'"`*\\]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** One URL path segment from a file path's segments (`a b/c#d.yml` → `a%20b/c%23d.yml`). */
export function urlPath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

// `<`, `>` and `&` as entities: a backslash does not stop an HTML tag in every renderer.
const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' };

/** Line breaks become spaces; other control characters and bidi overrides become U+FFFD. */
function oneLine(text: string): string {
  return (
    text
      .replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, '\ufffd')
  );
}
