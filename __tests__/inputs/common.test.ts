import { parseBoolean, parseChoice, parseList } from '../../src/core/inputs';
import { InputError } from '../../src/core/errors';

const source = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('parseList', () => {
  it.each([
    ['', {}, []],
    ['a,b\nc', {}, ['a', 'b', 'c']],
    [' a , b ,, \n\n c ', {}, ['a', 'b', 'c']],
    ['"a,b",c', {}, ['a,b', 'c']],
    ['"say ""hi""",x', {}, ['say "hi"', 'x']],
    ['# comment\na', {}, ['a']],
    ['A=1,2\nB=3', { ignoreComma: true }, ['A=1,2', 'B=3']],
    ['type=registry,ref=x\r\ntype=gha', { ignoreComma: true }, ['type=registry,ref=x', 'type=gha']],
    // build-push-action's csv-parse settings: a quoted field spans lines and keeps its commas.
    ['A=1\n"B=x\ny,z"\nC=2', { ignoreComma: true }, ['A=1', 'B=x\ny,z', 'C=2']],
    ['"a\nb",c', {}, ['a\nb', 'c']],
    // One field alone on its line is split on commas even when quoted, as build-push-action does.
    ['"a,b"', {}, ['a', 'b']],
    ['x,"a,b"', { ignoreComma: true }, ['x,a,b']],
    [
      'type=image,"name=a,b",push=true',
      { ignoreComma: true, quote: false },
      ['type=image,"name=a,b",push=true'],
    ],
    ['FOO=bar#baz\n# commented out\n"X=1\n#2"', { ignoreComma: true }, ['FOO=bar#baz', 'X=1\n#2']],
    ['a"b\nc', {}, ['a"b', 'c']],
    ['  A=1 \n', { trimWhitespace: false, ignoreComma: true }, ['  A=1 ']],
    ['"K=v\n"\n', { trimWhitespace: false, ignoreComma: true }, ['K=v\n']],
  ])('%j %j -> %j', (raw, options, expected) => {
    expect(parseList(raw, options)).toEqual(expected);
  });
});

describe('parseBoolean', () => {
  it.each([
    ['', true, true],
    ['true', false, true],
    ['TRUE', false, true],
    ['false', true, false],
    ['0', true, false],
  ])('%j (default %j) -> %j', (raw, fallback, expected) => {
    expect(parseBoolean(source({ push: raw }), 'push', fallback)).toBe(expected);
  });

  it('names the input, the value and the fix', () => {
    expect(() => parseBoolean(source({ push: 'maybe' }), 'push', false)).toThrow(
      new InputError('push', 'maybe', 'Use true or false.'),
    );
    expect(() => parseBoolean(source({ push: 'maybe' }), 'push', false)).toThrow(
      'Invalid push: "maybe". Use true or false.',
    );
  });
});

describe('parseChoice', () => {
  it('accepts a choice in any case and falls back when empty', () => {
    expect(parseChoice(source({ m: 'Strip' }), 'm', ['auto', 'strip'], 'auto')).toBe('strip');
    expect(parseChoice(source({}), 'm', ['auto', 'strip'], 'auto')).toBe('auto');
  });
  it('rejects anything else with the list of choices', () => {
    expect(() => parseChoice(source({ m: 'nope' }), 'm', ['auto', 'strip'], 'auto')).toThrow(
      'Invalid m: "nope". Use one of: auto, strip.',
    );
  });
});
