// Reads and writes that stay inside the repository. In a PR check the repository is the attacker's: any file
// or directory in it may be a symbolic link to a private key, /proc/self/environ or the user's shell profile.
// A path the user gave that lies outside the root (an absolute sarif-file in RUNNER_TEMP, say) is the user's
// choice and is honoured; a path inside the root must also lead inside it. See SECURITY.md.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

export function isInside(path: string, directory: string): boolean {
  const inside = relative(directory, path);
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
}

/** Where a path really leads, symbolic links resolved, also for one that does not exist yet. */
function realTarget(path: string): string {
  const rest: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return join(realpathSync(current), ...rest);
    } catch {
      const parent = dirname(current);
      if (parent === current) return resolve(path);
      rest.unshift(basename(current));
      current = parent;
    }
  }
}

/**
 * Why `path` must not be touched, or undefined when it may: it is inside `root` as written but leads outside
 * it through a symbolic link. A path written outside the root is the user's own choice.
 */
export function escapesRoot(root: string, path: string): string | undefined {
  const absolute = resolve(root, path);
  if (!isInside(absolute, resolve(root))) return undefined;
  if (isInside(realTarget(absolute), realTarget(root))) return undefined;
  return 'it leads outside the repository through a symbolic link';
}

/**
 * Writes `text` to `path` in place of its content: to a new file next to it, created exclusively (O_EXCL,
 * O_NOFOLLOW) under an unpredictable name, then renamed over it. Never through a symbolic link, never outside
 * the root (escapesRoot). Throws with the reason otherwise.
 */
export function writeContained(root: string, path: string, text: string): void {
  const absolute = resolve(root, path);
  const escape = escapesRoot(root, dirname(absolute));
  if (escape) throw new Error(`Refusing to write ${path}: ${escape}.`);
  const existing = lstatSync(absolute, { throwIfNoEntry: false });
  if (existing?.isSymbolicLink()) throw new Error(`Refusing to write ${path}: it is a symbolic link.`);
  if (existing && !existing.isFile()) throw new Error(`Refusing to write ${path}: it is not a regular file.`);
  const temp = join(dirname(absolute), `.${basename(absolute)}.${randomBytes(8).toString('hex')}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  const fd = openSync(temp, flags, existing ? existing.mode & 0o777 : 0o644);
  let closed = false;
  try {
    writeSync(fd, text);
    closeSync(fd);
    closed = true;
    renameSync(temp, absolute);
  } catch (error) {
    if (!closed) closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
}
