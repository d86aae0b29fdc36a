// `Link: <…>; rel="next"` pagination of tags/list and _catalog (RFC 8288, as distribution sends it).
import { CheckError } from '../errors';

/**
 * The URL of the next page, or undefined on the last page. The next page must be the same endpoint as
 * `current` (same origin and path): a registry's Link is never followed anywhere else.
 */
export function nextPage(link: string | undefined, current: URL): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!match || !/(?:^|;)\s*rel="?next"?\s*(?:;|$)/i.test(match[2])) continue;
    const base = current;
    const next = URL.parse(match[1], base.href);
    // Stopping here would silently skip the rest of the list: a check not done must never pass.
    if (!next || next.origin !== base.origin || next.pathname !== base.pathname) {
      throw new CheckError(
        `The registry's next page (${JSON.stringify(match[1].slice(0, 100))}) is not ${base.pathname}: refused.`,
      );
    }
    return next.href;
  }
  return undefined;
}
