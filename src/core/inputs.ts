import { parse } from 'csv-parse/sync';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { InputError } from './errors';

/**
 * Raw input values by input name. The action reads them with core.getInput; the CLI maps its flags to the
 * same names, so both go through one validation path and one set of error messages.
 */
export type InputSource = (name: string) => string;

export function parseBoolean(get: InputSource, name: string, fallback: boolean): boolean {
  const raw = get(name).trim();
  if (raw === '') return fallback;
  if (/^(true|1|yes|on)$/i.test(raw)) return true;
  if (/^(false|0|no|off)$/i.test(raw)) return false;
  throw new InputError(name, raw, `Use true or false.`);
}

export function parseChoice<T extends string>(
  get: InputSource,
  name: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = get(name).trim();
  if (raw === '') return fallback;
  const value = raw.toLowerCase() as T;
  if (choices.includes(value)) return value;
  throw new InputError(name, raw, `Use one of: ${choices.join(', ')}.`);
}

export interface ListOptions {
  /** One item per CSV record: commas stay inside the item (build-push-action's `ignoreComma`). */
  ignoreComma?: boolean;
  /** False: `"` is a plain character (build-push-action's `outputs`). */
  quote?: boolean;
  /** False: items keep their surrounding whitespace (build-push-action's `secrets`). */
  trimWhitespace?: boolean;
}

/**
 * Splits a list input exactly as docker/build-push-action does (csv-parse with its settings): records are lines,
 * but a quoted field may span lines and hold commas; a record of one field is split on every comma unless
 * `ignoreComma`, several fields are kept apart (or joined back with commas under `ignoreComma`). Items are
 * trimmed unless `trimWhitespace` is false; empty items are dropped.
 * One difference, on purpose: a line starting with # is a commented-out entry and is dropped (build-push-action
 * hands it to buildx, which then fails on e.g. the tag "#ghcr.io/app:1").
 */
export function parseList(raw: string, options: ListOptions = {}): string[] {
  const trim = options.trimWhitespace !== false;
  const input = trim ? raw.trim() : raw;
  if (input === '') return [];
  const records = parse(input, {
    columns: false,
    relaxQuotes: true,
    relaxColumnCount: true,
    skipEmptyLines: true,
    comment: '#',
    comment_no_infix: true,
    ...(options.quote === false ? { quote: false } : {}),
  }) as string[][];
  const items = records.flatMap((record) => {
    if (record.length === 1) return options.ignoreComma ? record : record[0].split(',');
    return options.ignoreComma ? [record.join(',')] : record;
  });
  return items
    .filter((item) => item !== '')
    .map((item) => (trim ? item.trim() : item))
    .filter((item) => item !== '');
}

/** Splits one line on commas outside double quotes; "" inside quotes is a literal quote, as in CSV. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedFlags {
  help: boolean;
  values: FlagValues;
  positionals: string[];
  /** A string flag's value, or '' when it was not given. */
  text(name: string): string;
  /** A boolean flag as an input value: 'true', or '' when it was not given. */
  flag(name: string): string;
}

/**
 * A subcommand's flags (node's parseArgs, strict, positionals allowed, `-h`/`--help` added). An unknown or
 * malformed flag is one InputError that names it and points at the subcommand's help.
 */
export function parseFlags(
  command: string,
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
): ParsedFlags {
  let parsed: { values: FlagValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    // parseArgs names the offending argument in quotes: "Unknown option '--foo'".
    const option = /'([^']+)'/.exec((error as Error).message)?.[1] ?? args.join(' ');
    throw new InputError('option', option, `See buildx-guard ${command} --help for the options.`);
  }
  const { values, positionals } = parsed;
  return {
    help: values.help === true,
    values,
    positionals,
    text: (name) => (typeof values[name] === 'string' ? (values[name] as string) : ''),
    flag: (name) => (values[name] === true ? 'true' : ''),
  };
}
