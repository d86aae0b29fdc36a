// Reading a file to lint without ever throwing: a file too large to be a workflow, a binary file or an
// unreadable one is a reason it cannot be parsed, reported like any parse error.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Far above any real workflow; a larger file would only cost time and memory. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

export type Source = { text: string; bom: boolean } | { problem: string };

const TOO_LARGE = {
  problem: `it is larger than the ${MAX_SOURCE_BYTES / 1024 / 1024} MiB a workflow file can sensibly be`,
};

export function readSource(path: string): Source {
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
