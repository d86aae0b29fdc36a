import { InputError } from '../../src/core/errors';
import {
  formatReference,
  isDigest,
  manifestReference,
  parseReference,
} from '../../src/core/registry/reference';

const HEX = 'a'.repeat(64);

describe('parseReference', () => {
  it.each([
    ['alpine', 'docker.io', 'registry-1.docker.io', 'library/alpine', undefined, undefined],
    ['alpine:3.20', 'docker.io', 'registry-1.docker.io', 'library/alpine', '3.20', undefined],
    ['docker.io/alpine', 'docker.io', 'registry-1.docker.io', 'library/alpine', undefined, undefined],
    ['index.docker.io/owner/app:v1', 'docker.io', 'registry-1.docker.io', 'owner/app', 'v1', undefined],
    ['owner/app', 'docker.io', 'registry-1.docker.io', 'owner/app', undefined, undefined],
    ['ghcr.io/owner/app:v1', 'ghcr.io', 'ghcr.io', 'owner/app', 'v1', undefined],
    ['ghcr.io/app', 'ghcr.io', 'ghcr.io', 'app', undefined, undefined],
    ['localhost/app', 'localhost', 'localhost', 'app', undefined, undefined],
    ['localhost:5000/a/b/c:x', 'localhost:5000', 'localhost:5000', 'a/b/c', 'x', undefined],
    [
      '127.0.0.1:5000/app@sha256:' + HEX,
      '127.0.0.1:5000',
      '127.0.0.1:5000',
      'app',
      undefined,
      `sha256:${HEX}`,
    ],
    ['[::1]:5000/app:v1', '[::1]:5000', '[::1]:5000', 'app', 'v1', undefined],
    [
      `reg.example.com/app:v1@sha256:${HEX}`,
      'reg.example.com',
      'reg.example.com',
      'app',
      'v1',
      `sha256:${HEX}`,
    ],
    ['Registry/app', 'Registry', 'Registry', 'app', undefined, undefined],
    ['reg.io/a__b/c-d/e.f--g:T_1.x-y', 'reg.io', 'reg.io', 'a__b/c-d/e.f--g', 'T_1.x-y', undefined],
    ['  ghcr.io/o/a:v1 ', 'ghcr.io', 'ghcr.io', 'o/a', 'v1', undefined],
  ])('%s', (raw, domain, registry, repository, tag, digest) => {
    const ref = parseReference(raw);
    expect(ref).toEqual({
      raw: raw.trim(),
      domain,
      registry,
      repository,
      ...(tag ? { tag } : {}),
      ...(digest ? { digest } : {}),
    });
  });

  it.each([
    ['', 'Use [registry[:port]/]repository[:tag][@sha256:<64 hex>], e.g. ghcr.io/owner/app:v1.'],
    ['ghcr.io/o/a b', 'A reference has no spaces.'],
    ['ghcr.io/Owner/app', 'Repository names must be lowercase.'],
    ['ghcr.io/o/app:-v1', 'A tag is up to 128 letters, digits, _, . and -, and does not start with . or -.'],
    [`ghcr.io/o/app:${'t'.repeat(129)}`, 'A tag is up to 128'],
    ['ghcr.io/o/app@sha256:abc', 'Use sha256: followed by 64 lowercase hex characters.'],
    [`ghcr.io/o/app@sha256:${'A'.repeat(64)}`, 'Use sha256: followed by 64 lowercase hex characters.'],
    [`ghcr.io/o/app@md5:${'a'.repeat(32)}`, 'Only sha256, sha384 and sha512 digests can be verified.'],
    ['ghcr.io/o//app', '"o//app" is not a valid repository'],
    ['ghcr.io/o/-app', '"o/-app" is not a valid repository'],
    ['ghcr.io/', '"" is not a valid repository'],
    ['-bad.io:5000/app', '"-bad.io:5000" is not a valid registry host.'],
    [`reg.io/${'a'.repeat(256)}`, 'The name is longer than 255 characters.'],
    [HEX, 'A 64-character hex string is an image ID, not a repository.'],
  ])('rejects %j', (raw, fix) => {
    const parse = () => parseReference(raw, 'images');
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(`Invalid images: ${JSON.stringify(raw.trim())}. `);
    expect(parse).toThrow(fix);
  });
});

describe('digests', () => {
  it.each([
    [`sha256:${HEX}`, true],
    [`sha384:${'b'.repeat(96)}`, true],
    [`sha512:${'c'.repeat(128)}`, true],
    [`sha256:${'a'.repeat(63)}`, false],
    [`sha256:${'A'.repeat(64)}`, false],
    [`sha512:${HEX}`, false],
    [`constructor:${HEX}`, false],
    [`sha256:../../${HEX}`, false],
    ['sha256', false],
  ])('isDigest(%j) = %j', (value, expected) => expect(isDigest(value)).toBe(expected));
});

describe('manifestReference and formatReference', () => {
  it.each([
    ['alpine', 'latest', 'docker.io/library/alpine:latest'],
    ['ghcr.io/o/a:v1', 'v1', 'ghcr.io/o/a:v1'],
    [`ghcr.io/o/a@sha256:${HEX}`, `sha256:${HEX}`, `ghcr.io/o/a@sha256:${HEX}`],
    [`ghcr.io/o/a:v1@sha256:${HEX}`, `sha256:${HEX}`, `ghcr.io/o/a:v1@sha256:${HEX}`],
  ])('%s asks for %s, reads %s', (raw, reference, formatted) => {
    const ref = parseReference(raw);
    expect(manifestReference(ref)).toBe(reference);
    expect(formatReference(ref)).toBe(formatted);
  });
});
