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
