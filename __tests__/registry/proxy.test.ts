import { InputError } from '../../src/core/errors';
import { bypassesProxy, decodeUserinfo, proxyFor, redactUserinfo } from '../../src/core/registry/proxy';

describe('proxyFor', () => {
  it.each([
    ['https://ghcr.io/v2/', { HTTPS_PROXY: 'http://proxy:3128' }, 'http://proxy:3128/'],
    ['https://ghcr.io/v2/', { https_proxy: 'http://lower:1' }, 'http://lower:1/'],
    [
      'https://ghcr.io/v2/',
      { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1' },
      'http://upper:1/',
    ],
    ['https://ghcr.io/v2/', { HTTP_PROXY: 'http://proxy:3128' }, undefined],
    ['http://reg.local/v2/', { HTTP_PROXY: 'proxy:3128' }, 'http://proxy:3128/'],
    ['http://reg.local/v2/', { HTTPS_PROXY: 'http://proxy:3128' }, undefined],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: 'https://u:p@proxy:443' }, 'https://u:p@proxy/'],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: '  ' }, undefined],
    ['https://ghcr.io/v2/', {}, undefined],
    // Loopback never goes through a proxy, as in Go (docker, containerd): its credentials stay on the machine.
    ['http://127.0.0.1:5000/v2/', { HTTP_PROXY: 'http://proxy:1' }, undefined],
    ['http://127.9.9.9:5000/v2/', { HTTP_PROXY: 'http://proxy:1' }, undefined],
    ['http://localhost:5000/v2/', { HTTP_PROXY: 'http://proxy:1' }, undefined],
    ['http://[::1]:5000/v2/', { HTTP_PROXY: 'http://proxy:1' }, undefined],
    ['http://localhost.evil.example/v2/', { HTTP_PROXY: 'http://proxy:1' }, 'http://proxy:1/'],
    ['https://ghcr.io/v2/', { HTTPS_PROXY: 'http://p:1', no_proxy: 'ghcr.io' }, undefined],
    // As Go's getEnvAny: an empty NO_PROXY falls through to no_proxy.
    ['https://ghcr.io/v2/', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '', no_proxy: 'ghcr.io' }, undefined],
  ])('%s with %j -> %s', (url, env, expected) => {
    expect(proxyFor(new URL(url), env)?.href).toBe(expected);
  });

  it.each([
    [
      { HTTPS_PROXY: 'ftp://proxy:21' },
      'Invalid HTTPS_PROXY: "ftp://proxy:21". Only http:// and https:// proxies are supported.',
    ],
    [
      { https_proxy: 'http://u:secret@[bad' },
      'Invalid https_proxy: "http://***@[bad". Use http://host:port or https://host:port.',
    ],
    [
      { HTTPS_PROXY: 'http://u:se/cret@proxy:3128' },
      'Invalid HTTPS_PROXY: "http://***@proxy:3128". Use http://host:port or https://host:port.',
    ],
    [
      { HTTPS_PROXY: 'http://u:12/cret@proxy:3128' },
      'Invalid HTTPS_PROXY: "http://***@proxy:3128". Percent-encode the user and password',
    ],
  ])('rejects %j without showing a password', (env, message) => {
    const read = () => proxyFor(new URL('https://ghcr.io/'), env);
    expect(read).toThrow(InputError);
    expect(read).toThrow(message);
  });
});

describe('bypassesProxy', () => {
  it.each([
    ['https://ghcr.io/', '*', true],
    ['https://ghcr.io/', 'ghcr.io', true],
    ['https://pkg.ghcr.io/', 'ghcr.io', true],
    ['https://pkg.ghcr.io/', '.ghcr.io', true],
    ['https://pkg.ghcr.io/', '*.ghcr.io', true],
    ['https://notghcr.io/', 'ghcr.io', false],
    ['https://GHCR.io/', 'ghcr.IO', true],
    ['https://ghcr.io/', 'example.com, ghcr.io', true],
    // Go splits on commas only.
    ['https://ghcr.io/', 'example.com ghcr.io', false],
    ['https://ghcr.io/', ' example.com , ghcr.io ', true],
    // A leading dot or `*.` matches subdomains only.
    ['https://ghcr.io/', '.ghcr.io', false],
    ['https://ghcr.io/', '*.ghcr.io', false],
    ['https://ghcr.io/', 'x,*', true],
    ['https://ghcr.io/', 'ghcr.io:443', true],
    ['https://ghcr.io/', 'ghcr.io:8443', false],
    ['http://reg:5000/', 'reg:5000', true],
    ['http://reg:5000/', 'reg:5001', false],
    ['http://10.1.2.3:5000/', '10.0.0.0/8', true],
    ['http://11.1.2.3:5000/', '10.0.0.0/8', false],
    ['http://10.1.2.3/', '10.1.2.3', true],
    ['http://reg.local/', '10.0.0.0/8', false],
    ['http://10.1.2.3/', '10.0.0.0/99', false],
    ['http://[::1]:5000/', '::1', true],
    ['http://[::1]:5000/', '[::1]:5000', true],
    ['http://[fd00::5]/', 'fd00::/8', true],
    ['http://127.0.0.1/', '', true],
    ['http://10.1.2.3:5000/', '10.1.2.3:5000', true],
    ['http://10.1.2.3:5000/', '10.1.2.3:5001', false],
  ])('%s with NO_PROXY=%j -> %j', (url, noProxy, expected) => {
    expect(bypassesProxy(new URL(url), noProxy)).toBe(expected);
  });
});

describe('decodeUserinfo', () => {
  it.each([
    ['p%40ss', 'p@ss'],
    ['100%', '100%'],
    ['p%zz', 'p%zz'],
  ])('%s -> %s (never "URI malformed")', (raw, expected) => expect(decodeUserinfo(raw)).toBe(expected));
});

describe('redactUserinfo', () => {
  it.each([
    ['http://user:pw@proxy:1', 'http://***@proxy:1'],
    ['user:pw@proxy:1', '***@proxy:1'],
    ['http://proxy:1', 'http://proxy:1'],
    ['http://user:pa/ss@proxy:1', 'http://***@proxy:1'],
    ['http://user:p@ss:w%rd@proxy:1', 'http://***@proxy:1'],
  ])('%s -> %s', (raw, expected) => expect(redactUserinfo(raw)).toBe(expected));
});
