import { flagSet, parseArgs } from '../../src/modes/lint/argv';
import { ShellWord } from '../../src/modes/lint/shell';

const set = flagSet(['tag|t', 'output|o', 'platform'], ['push', 'quiet|q']);
const words = (...texts: string[]): ShellWord[] =>
  texts.map((text, at) => ({ text, unresolved: [], at, end: at + 1 }));
const parsed = (...texts: string[]) => {
  const args = parseArgs(words(...texts), set);
  return {
    flags: args.flags.map((flag) => [flag.name, flag.value.text, flag.text]),
    positionals: args.positionals.map((word) => word.text),
  };
};

describe('parseArgs', () => {
  it.each([
    [['--tag', 'a', '.'], [['tag', 'a', '--tag a']], ['.']],
    [['--tag=a', '.'], [['tag', 'a', '--tag=a']], ['.']],
    [
      ['-t', 'a', '-tb', '-t=c'],
      [
        ['tag', 'a', '-t a'],
        ['tag', 'b', '-tb'],
        ['tag', 'c', '-t=c'],
      ],
      [],
    ],
    [['--push', '.'], [['push', 'true', '--push']], ['.']],
    [['--push=false', '.'], [['push', 'false', '--push=false']], ['.']],
    [['--push', 'false'], [['push', 'true', '--push']], ['false']],
    [
      ['-qt', 'a'],
      [
        ['quiet', 'true', '-q'],
        ['tag', 'a', '-qt a'],
      ],
      [],
    ],
    [['--unknown', 'x'], [['unknown', 'true', '--unknown']], ['x']],
    [['--', '--push'], [], ['--push']],
    [['-'], [], ['-']],
    [['--tag'], [['tag', '', '--tag']], []],
  ])('%j', (texts, flags, positionals) => {
    expect(parsed(...texts)).toEqual({ flags, positionals });
  });
});
