// Command-line flags read the way docker and buildx read them (spf13/pflag): `--name value`, `--name=value`,
// `-t value`, `-tvalue`, `-t=value`; a boolean takes a value only after `=`; `--` ends the flags. A flag not in
// the set is taken as a boolean, so an unknown flag never swallows the word after it.
import { ShellWord } from './shell';
import { Value, valueOf } from './value';

export interface FlagSet {
  /** Flags that take a value, by each of their names, to their canonical (long) name. */
  values: ReadonlyMap<string, string>;
  /** Boolean flags, likewise. */
  booleans: ReadonlyMap<string, string>;
}

/** Builds a flag set from `long|s` specs: `flagSet(['tag|t', 'output|o'], ['push', 'quiet|q'])`. */
export function flagSet(values: string[], booleans: string[]): FlagSet {
  const byName = (specs: string[]) =>
    new Map(
      specs.flatMap((spec) => spec.split('|').map((name): [string, string] => [name, spec.split('|')[0]])),
    );
  return { values: byName(values), booleans: byName(booleans) };
}

export interface Flag {
  /** The canonical long name. */
  name: string;
  value: Value;
  /** The word the flag starts at. */
  word: ShellWord;
  /** The flag as written, with its value: `--provenance=false`, `-t app:1`. */
  text: string;
}

export interface ParsedArgs {
  flags: Flag[];
  positionals: ShellWord[];
}

export function parseArgs(words: readonly ShellWord[], set: FlagSet): ParsedArgs {
  const flags: Flag[] = [];
  const positionals: ShellWord[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const text = word.text;
    if (text === '--') {
      positionals.push(...words.slice(i + 1));
      break;
    }
    if (text.startsWith('--') && text.length > 2) {
      const equals = text.indexOf('=');
      const name = text.slice(2, equals < 0 ? undefined : equals);
      const takesValue = set.values.has(name);
      const canonical = set.values.get(name) ?? set.booleans.get(name) ?? name;
      if (equals >= 0) {
        flags.push({ name: canonical, value: valueOf(text.slice(equals + 1), word), word, text });
      } else if (takesValue) {
        const next = words[++i];
        flags.push({
          name: canonical,
          value: valueOf(next?.text ?? '', next ?? word),
          word,
          text: next ? `${text} ${next.text}` : text,
        });
      } else {
        flags.push({ name: canonical, value: valueOf('true', word), word, text });
      }
    } else if (text.startsWith('-') && text.length > 1) {
      i = readShorthands(words, i, set, flags);
    } else {
      positionals.push(word);
    }
  }
  return { flags, positionals };
}

/** `-qt value`: booleans until one that takes a value, which takes the rest of the word or the next word. */
function readShorthands(words: readonly ShellWord[], index: number, set: FlagSet, flags: Flag[]): number {
  const word = words[index];
  const text = word.text;
  for (let j = 1; j < text.length; j++) {
    const letter = text[j];
    const canonical = set.values.get(letter);
    if (canonical === undefined) {
      flags.push({
        name: set.booleans.get(letter) ?? letter,
        value: valueOf('true', word),
        word,
        text: `-${letter}`,
      });
      continue;
    }
    if (j + 1 < text.length) {
      const attached = text.slice(text[j + 1] === '=' ? j + 2 : j + 1);
      flags.push({ name: canonical, value: valueOf(attached, word), word, text });
      return index;
    }
    const next = words[index + 1];
    flags.push({
      name: canonical,
      value: valueOf(next?.text ?? '', next ?? word),
      word,
      text: next ? `${text} ${next.text}` : text,
    });
    return index + 1;
  }
  return index;
}

/** The values of one flag, in order. */
export function values(args: ParsedArgs, name: string): Flag[] {
  return args.flags.filter((flag) => flag.name === name);
}
