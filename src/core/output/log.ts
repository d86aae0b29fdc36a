import * as core from '@actions/core';
import { inline, safeLogText } from './neutralize';

/** Where a finding or problem points, for annotations. */
export interface Location {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

/** The one logging interface of the core: the action writes through @actions/core, the CLI to stderr. */
export interface Log {
  info(message: string): void;
  warning(message: string, location?: Location): void;
  notice(message: string, location?: Location): void;
  error(message: string, location?: Location): void;
  debug(message: string): void;
  /** Registers a value that must never appear in output. */
  secret(value: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * The action's log. Every message and annotation property passes safeLogText/inline here, whatever it quotes:
 * this is the one boundary between outside text and the runner (see neutralize.ts).
 */
export function actionLog(): Log {
  return {
    info: (message) => core.info(safeLogText(message)),
    warning: (message, location) => core.warning(safeLogText(message), safeLocation(location)),
    notice: (message, location) => core.notice(safeLogText(message), safeLocation(location)),
    error: (message, location) => core.error(safeLogText(message), safeLocation(location)),
    debug: (message) => core.debug(safeLogText(message)),
    // A secret with control characters reaches the log escaped: mask that form too.
    secret: (value) => {
      core.setSecret(value);
      if (safeLogText(value) !== value) core.setSecret(safeLogText(value));
    },
    group: (name, fn) => core.group(inline(name), fn),
  };
}

function safeLocation(location: Location | undefined): Location | undefined {
  if (!location) return undefined;
  return {
    ...location,
    ...(location.title !== undefined ? { title: inline(location.title) } : {}),
    ...(location.file !== undefined ? { file: inline(location.file) } : {}),
  };
}

/**
 * A CLI log on stderr that replaces every registered secret with `***`, as the runner does, and escapes
 * control characters (an ESC from a registry must not rewrite the terminal).
 */
export function cliLog(options: { verbose?: boolean; write?: (text: string) => void } = {}): Log {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const secrets = new Set<string>();
  const redact = (text: string) => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('***');
    return out;
  };
  const line = (prefix: string) => (message: string) =>
    write(`${safeLogText(redact(`${prefix}${message}`))}\n`);
  return {
    info: line(''),
    warning: line('warning: '),
    notice: line('note: '),
    error: line('error: '),
    debug: options.verbose ? line('debug: ') : () => undefined,
    secret: (value) => {
      if (value) secrets.add(value);
    },
    group: async (name, fn) => {
      write(`${inline(redact(name))}\n`);
      return fn();
    },
  };
}
