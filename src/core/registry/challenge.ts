// WWW-Authenticate challenges (RFC 9110 section 11.6.1): schemes with parameters whose quoted values may hold commas.

export interface Challenge {
  /** Lower case: `bearer`, `basic`, ... */
  scheme: string;
  /** Parameter names in lower case. */
  params: Record<string, string>;
}

const TOKEN = /[A-Za-z0-9!#$%&'*+.^_`|~-]+/y;
const SPACE = /[ \t]*/y;
/** Unquoted values are tokens by the RFC; servers also send bare URLs, so take everything up to a comma. */
const BARE_VALUE = /[^\s,]+/y;
/** A token68 credential-style value (`Negotiate abc==`): skipped, nothing here uses one. */
const TOKEN68 = /[ \t]*[A-Za-z0-9._~+/-]+=*(?=[ \t]*(?:,|$))/y;

/** Every challenge in the header values, in order. Malformed tails are dropped, never thrown. */
export function parseChallenges(values: string | string[] | undefined): Challenge[] {
  const list = values === undefined ? [] : Array.isArray(values) ? values : [values];
  return list.flatMap(parseHeader);
}

function parseHeader(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let pos = 0;
  const read = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = pos;
    const match = pattern.exec(header);
    if (!match) return undefined;
    pos = pattern.lastIndex;
    return match[0];
  };
  const skipSeparators = () => {
    while (pos < header.length && /[\s,]/.test(header[pos])) pos++;
  };
  /** True when a `name=` parameter starts at pos (rather than the next challenge's scheme). */
  const paramAhead = () => /^[A-Za-z0-9!#$%&'*+.^_`|~-]+[ \t]*=/.test(header.slice(pos));

  while (pos < header.length) {
    skipSeparators();
    const scheme = read(TOKEN);
    if (scheme === undefined) break;
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    read(TOKEN68);
    for (;;) {
      skipSeparators();
      if (!paramAhead()) break;
      const name = read(TOKEN)!.toLowerCase();
      read(SPACE);
      pos++; // '='
      read(SPACE);
      const value = header[pos] === '"' ? readQuoted() : (read(BARE_VALUE) ?? '');
      challenge.params[name] = value;
    }
  }
  return challenges;

  function readQuoted(): string {
    let value = '';
    for (pos++; pos < header.length && header[pos] !== '"'; pos++) {
      if (header[pos] === '\\' && pos + 1 < header.length) pos++;
      value += header[pos];
    }
    pos++; // closing quote
    return value;
  }
}
