import * as core from '@actions/core';

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

export function actionLog(): Log {
  return {
    info: (message) => core.info(message),
    warning: (message, location) => core.warning(message, location),
    notice: (message, location) => core.notice(message, location),
    error: (message, location) => core.error(message, location),
    debug: (message) => core.debug(message),
    secret: (value) => core.setSecret(value),
    group: (name, fn) => core.group(name, fn),
  };
}

/** A CLI log on stderr that replaces every registered secret with `***`, as the runner does. */
export function cliLog(options: { verbose?: boolean; write?: (text: string) => void } = {}): Log {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const secrets = new Set<string>();
  const redact = (text: string) => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join('***');
    return out;
  };
  const line = (prefix: string) => (message: string) => write(redact(`${prefix}${message}\n`));
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
      write(redact(`${name}\n`));
      return fn();
    },
  };
}
