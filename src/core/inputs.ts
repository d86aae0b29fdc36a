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

/**
 * Splits a list input as docker/build-push-action does: one item per line, and, unless `ignoreComma`, also on
 * commas outside double quotes ("a,b" stays one item, with its quotes removed). Items are trimmed; empty
 * items and lines starting with # are dropped.
 */
export function parseList(raw: string, options: { ignoreComma?: boolean } = {}): string[] {
  const items: string[] = [];
  for (const line of raw.split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    for (const item of options.ignoreComma ? [line] : splitCsvLine(line)) {
      const trimmed = item.trim();
      if (trimmed !== '') items.push(trimmed);
    }
  }
  return items;
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
