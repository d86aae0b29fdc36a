import { parseChallenges } from '../../src/core/registry/challenge';

describe('parseChallenges', () => {
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/alpine:pull',
          },
        },
      ],
    ],
    [
      'Bearer realm="https://r/token",scope="repository:a:pull,push repository:b:pull",service="s"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://r/token',
            scope: 'repository:a:pull,push repository:b:pull',
            service: 's',
          },
        },
      ],
    ],
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    ['basic   REALM = "x" ', [{ scheme: 'basic', params: { realm: 'x' } }]],
    [
      'Bearer realm=https://r/t, service=svc',
      [{ scheme: 'bearer', params: { realm: 'https://r/t', service: 'svc' } }],
    ],
    ['Bearer realm="a \\"quoted\\" \\\\ b"', [{ scheme: 'bearer', params: { realm: 'a "quoted" \\ b' } }]],
    [
      'Basic realm="x", Bearer realm="https://r/t",service="s"',
      [
        { scheme: 'basic', params: { realm: 'x' } },
        { scheme: 'bearer', params: { realm: 'https://r/t', service: 's' } },
      ],
    ],
    [
      ['Basic realm="x"', 'Bearer realm="y"'],
      [
        { scheme: 'basic', params: { realm: 'x' } },
        { scheme: 'bearer', params: { realm: 'y' } },
      ],
    ],
    ['Bearer', [{ scheme: 'bearer', params: {} }]],
    ['Bearer realm="unterminated', [{ scheme: 'bearer', params: { realm: 'unterminated' } }]],
    ['Negotiate abc==', [{ scheme: 'negotiate', params: {} }]],
    [
      'Negotiate abc==, Basic realm="r"',
      [
        { scheme: 'negotiate', params: {} },
        { scheme: 'basic', params: { realm: 'r' } },
      ],
    ],
    ['', []],
    [undefined, []],
    ['="x"', []],
  ])('%j', (header, expected) => {
    expect(parseChallenges(header)).toEqual(expected);
  });
});
