import {
  EMPTY_ENV,
  envScope,
  expandMatrix,
  goBool,
  inputBool,
  literal,
  resolveExpressions,
  splitOutside,
} from '../../src/modes/lint/value';

const env = envScope(
  new Map([
    ['IMAGE', literal('ghcr.io/a/b')],
    ['TAG', { text: '${{ github.sha }}', unresolved: ['${{ github.sha }}'] }],
  ]),
  EMPTY_ENV,
);

describe('resolveExpressions', () => {
  it.each([
    ['plain', { text: 'plain', unresolved: [] }],
    ['${{ env.IMAGE }}:1', { text: 'ghcr.io/a/b:1', unresolved: [] }],
    ["${{env['IMAGE']}}", { text: 'ghcr.io/a/b', unresolved: [] }],
    [
      '${{ env.IMAGE }}:${{ env.TAG }}',
      { text: 'ghcr.io/a/b:${{ github.sha }}', unresolved: ['${{ github.sha }}'] },
    ],
    ['${{ env.MISSING }}', { text: '${{ env.MISSING }}', unresolved: ['${{ env.MISSING }}'] }],
    [
      "a-${{ inputs.x || 'y' }}",
      { text: "a-${{ inputs.x || 'y' }}", unresolved: ["${{ inputs.x || 'y' }}"] },
    ],
  ])('%s', (text, value) => {
    expect(resolveExpressions(text, env)).toEqual(value);
  });

  it('lets an inner scope shadow an outer one', () => {
    expect(envScope(new Map([['IMAGE', literal('x')]]), env).get('IMAGE')?.text).toBe('x');
  });
});

describe('expandMatrix', () => {
  const matrix = new Map([
    ['arch', ['amd64', 'arm64']],
    ['os', ['linux']],
  ]);
  it.each([
    [{ text: 'a-${{ matrix.arch }}', unresolved: ['${{ matrix.arch }}'] }, ['a-amd64', 'a-arm64'], []],
    [
      {
        text: "${{ matrix['os'] }}/${{ matrix.arch }}",
        unresolved: ["${{ matrix['os'] }}", '${{ matrix.arch }}'],
      },
      ['linux/amd64', 'linux/arm64'],
      [],
    ],
    [
      { text: '${{ matrix.other }}', unresolved: ['${{ matrix.other }}'] },
      ['${{ matrix.other }}'],
      ['${{ matrix.other }}'],
    ],
    [
      { text: '${{ github.sha }}', unresolved: ['${{ github.sha }}'] },
      ['${{ github.sha }}'],
      ['${{ github.sha }}'],
    ],
  ])('%j', (value, texts, unresolved) => {
    expect(expandMatrix(value, matrix)).toEqual({ texts, unresolved });
  });

  it('does not expand past a bound', () => {
    const wide = new Map([['n', Array.from({ length: 100 }, (_, i) => String(i))]]);
    expect(
      expandMatrix({ text: '${{ matrix.n }}', unresolved: ['${{ matrix.n }}'] }, wide).unresolved,
    ).toEqual(['${{ matrix.n }}']);
  });
});

describe('booleans', () => {
  it.each([
    ['1', true, undefined],
    ['true', true, true],
    ['TRUE', true, true],
    ['t', true, undefined],
    ['0', false, undefined],
    ['False', false, false],
    ['yes', undefined, undefined],
  ])('%s', (text, go, input) => {
    expect(goBool(text)).toBe(go);
    expect(inputBool(text)).toBe(input);
  });
});

describe('splitOutside', () => {
  it.each([
    ['a,b', ['a', 'b']],
    ['type=image,"name=a,b",push=true', ['type=image', 'name=a,b', 'push=true']],
    ['name=${{ format(a, b) }},push=true', ['name=${{ format(a, b) }}', 'push=true']],
    ['', ['']],
  ])('%s', (text, parts) => {
    expect(splitOutside(text, ',')).toEqual(parts);
  });
});
