import { nextPage } from '../../src/core/registry/pagination';

const current = new URL('http://reg.local:5000/v2/a/b/tags/list?n=2');

describe('nextPage', () => {
  it.each<[string | undefined, string | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['</v2/a/b/tags/list?last=x&n=2>; rel="next"', 'http://reg.local:5000/v2/a/b/tags/list?last=x&n=2'],
    [
      '<http://reg.local:5000/v2/a/b/tags/list?last=y>; rel=next',
      'http://reg.local:5000/v2/a/b/tags/list?last=y',
    ],
    [
      '</v2/a/b/tags/list?last=p>; rel="prev", </v2/a/b/tags/list?last=n>; rel="next"',
      'http://reg.local:5000/v2/a/b/tags/list?last=n',
    ],
    ['</v2/a/b/tags/list?last=p>; rel="prev"', undefined],
    ['garbage', undefined],
  ])('%j -> %j', (link, expected) => {
    expect(nextPage(link, current)).toBe(expected);
  });

  it.each([
    '<http://elsewhere:1/v2/a/b/tags/list>; rel="next"',
    '</v2/other/tags/list>; rel="next"',
    '<https://reg.local:5000/v2/a/b/tags/list>; rel="next"',
  ])('refuses %s rather than stop early', (link) => {
    expect(() => nextPage(link, current)).toThrow(/is not \/v2\/a\/b\/tags\/list: refused/);
  });
});
