import { tokenRequest } from '../../src/core/registry/auth';
import { isLoopback } from '../../src/core/registry/http';

it.each([
  ['localhost', true],
  ['LOCALHOST', true],
  ['127.0.0.1', true],
  ['127.255.0.9', true],
  ['[::1]', true],
  ['::1', true],
  ['[0:0:0:0:0:0:0:1]', true],
  ['128.0.0.1', false],
  ['10.0.0.1', false],
  ['[::2]', false],
  ['localhost.example.com', false],
  ['127.0.0.1.nip.io', false],
])('isLoopback(%s) = %j', (host, expected) => expect(isLoopback(host)).toBe(expected));

describe('tokenRequest', () => {
  const realm = new URL('https://auth.example.com/token?x=1');
  const scope = 'repository:o/app:pull';

  it('asks anonymously without credentials', () => {
    const request = tokenRequest(realm, 'svc', scope);
    expect([request.method, request.url.href, request.headers, request.credentials]).toEqual([
      'GET',
      'https://auth.example.com/token?x=1&service=svc&scope=repository%3Ao%2Fapp%3Apull',
      {},
      false,
    ]);
  });

  it('sends a password as Basic on GET, naming the account', () => {
    const request = tokenRequest(realm, '', scope, { kind: 'basic', username: 'al ice', password: 'p:w' });
    expect([request.method, request.url.search, request.headers, request.credentials]).toEqual([
      'GET',
      '?x=1&scope=repository%3Ao%2Fapp%3Apull&account=al+ice',
      { authorization: `Basic ${Buffer.from('al ice:p:w').toString('base64')}` },
      true,
    ]);
  });

  it('exchanges an identity token through the refresh_token grant on POST', () => {
    const request = tokenRequest(realm, 'svc', scope, { kind: 'identity-token', token: 'idt' });
    expect([request.method, request.url, request.headers, request.credentials]).toEqual([
      'POST',
      realm,
      { 'content-type': 'application/x-www-form-urlencoded' },
      true,
    ]);
    expect(Object.fromEntries(new URLSearchParams(String(request.body)))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'idt',
      service: 'svc',
      scope,
      client_id: 'buildx-guard',
    });
  });
});
