// A small emulation of pflag, the flag parser of docker and buildx: `--name=value`, `--name value`, `-t value`,
// `-tvalue`, `-t=value`, combined boolean shorthands, `--` and buildx's wording for every parse error.

export type FlagKind = 'bool' | 'string' | 'stringArray' | 'stringSlice';

export interface FlagDef {
  name: string;
  short?: string;
  kind: FlagKind;
  /** The buildx release that added the flag; older releases reject it as unknown. */
  since?: string;
}

export interface ParsedFlags {
  /** Values per flag name, in order. A `string` flag keeps only its last value, as pflag does. */
  values: Map<string, string[]>;
  positionals: string[];
}

/** A flag error: docker prints it with a hint at --help and exits 125. */
export class FlagError extends Error {}

const GO_BOOL: Record<string, boolean> = {
  '1': true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  '0': false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false,
};

export function goParseBool(value: string): boolean | undefined {
  return GO_BOOL[value];
}

/** pflag's StringSlice splits each value as a CSV record. */
function splitSlice(value: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

export function parseFlags(args: readonly string[], defs: readonly FlagDef[]): ParsedFlags {
  const byName = new Map(defs.map((def) => [def.name, def]));
  const byShort = new Map(defs.filter((def) => def.short).map((def) => [def.short!, def]));
  const values = new Map<string, string[]>();
  const positionals: string[] = [];

  const set = (def: FlagDef, value: string, shown: string) => {
    if (def.kind === 'bool' && goParseBool(value) === undefined) {
      throw new FlagError(
        `invalid argument "${value}" for "${shown}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`,
      );
    }
    const previous = def.kind === 'string' || def.kind === 'bool' ? [] : (values.get(def.name) ?? []);
    const added = def.kind === 'stringSlice' ? splitSlice(value) : [value];
    values.set(def.name, [...previous, ...added]);
  };

  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    if (arg.startsWith('--')) {
      const [name, ...rest] = arg.slice(2).split('=');
      const inline = rest.length > 0 ? rest.join('=') : undefined;
      const def = byName.get(name);
      if (!def) throw new FlagError(`unknown flag: --${name}`);
      if (def.kind === 'bool') set(def, inline ?? 'true', `--${name}`);
      else if (inline !== undefined) set(def, inline, `--${name}`);
      else if (i + 1 < args.length) set(def, args[++i], `--${name}`);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    // Shorthands: booleans may be combined (-qD); a value flag takes the rest of the word or the next argument.
    const word = arg.slice(1);
    for (let j = 0; j < word.length; j++) {
      const def = byShort.get(word[j]);
      if (!def) throw new FlagError(`unknown shorthand flag: '${word[j]}' in -${word}`);
      const rest = word.slice(j + 1);
      if (def.kind === 'bool') {
        if (rest.startsWith('=')) {
          set(def, rest.slice(1), `-${def.short}`);
          break;
        }
        set(def, 'true', `-${def.short}`);
        continue;
      }
      if (rest !== '') set(def, rest.replace(/^=/, ''), `-${def.short}`);
      else if (i + 1 < args.length) set(def, args[++i], `-${def.short}`);
      else throw new FlagError(`flag needs an argument: '${def.short}' in -${def.short}`);
      break;
    }
  }
  return { values, positionals };
}
