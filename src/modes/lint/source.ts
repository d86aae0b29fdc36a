// Reading a file to lint without ever throwing: a file too large to be a workflow, a binary file or an
// unreadable one is a reason it cannot be parsed, reported like any parse error.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { escapesRoot } from './contained';

/** Far above any real workflow; a larger file would only cost time and memory. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/**
 * Each `[` or `{` may open a flow collection, and the parser recurses into nested ones: bounding them bounds
 * both its depth and its work. A real workflow has a few hundred (`${{ … }}` counts two).
 */
export const MAX_FLOW_OPENERS = 20_000;

export type Source = { text: string; bom: boolean } | { problem: string };

const TOO_LARGE = {
  problem: `it is larger than the ${MAX_SOURCE_BYTES / 1024 / 1024} MiB a workflow file can sensibly be`,
};

/** Reads `path`; with `root`, only when it leads inside the root (a repository's symlinks are not followed out). */
export function readSource(path: string, root?: string): Source {
  const escape = root === undefined ? undefined : escapesRoot(root, path);
  if (escape) return { problem: `${escape}, so it is not read` };
  try {
    const bytes = readSmall(path);
    return bytes ? decode(bytes) : TOO_LARGE;
  } catch (error) {
    return { problem: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
}

/** A workflow piped to `buildx-guard lint -`, with a file's limit and checks; reading stops at the limit. */
export async function readStream(stream: AsyncIterable<Buffer>): Promise<Source> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += chunk.length;
      if (size > MAX_SOURCE_BYTES) return TOO_LARGE;
      chunks.push(chunk);
    }
  } catch (error) {
    return { problem: `it cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  return decode(Buffer.concat(chunks));
}

function decode(bytes: Buffer): Source {
  if (bytes.includes(0)) return { problem: 'it is a binary file, not YAML' };
  const text = bytes.toString('utf8');
  if (flowOpeners(text) > MAX_FLOW_OPENERS) {
    return {
      problem: `it holds more than ${MAX_FLOW_OPENERS} opening brackets ([ and {), far more than any workflow; the YAML parser's time and memory grow with each flow collection (nested ones recurse)`,
    };
  }
  // A byte order mark is not a column of the first line.
  return text.charCodeAt(0) === 0xfeff ? { text: text.slice(1), bom: true } : { text, bom: false };
}

/** The file's bytes, or undefined when it is over the limit (found without reading it). */
function readSmall(path: string): Buffer | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_SOURCE_BYTES) return undefined;
    const bytes = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const count = readSync(fd, bytes, read, size - read, read);
      if (count === 0) break;
      read += count;
    }
    return bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** The `[` and `{` in the text, strings and comments included: no quoting can hide a real one. */
function flowOpeners(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5b || ch === 0x7b) count++;
  }
  return count;
}
