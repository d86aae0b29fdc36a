import {
  formatPlatform,
  isPlatformText,
  normalizePlatform,
  readPlatform,
} from '../../src/core/verification/platform';

it.each([
  ['linux/amd64', 'linux/amd64'],
  ['linux/amd64/v1', 'linux/amd64'],
  ['linux/amd64/v3', 'linux/amd64/v3'],
  ['linux/x86_64', 'linux/amd64'],
  ['linux/arm64/v8', 'linux/arm64'],
  ['linux/arm64/8', 'linux/arm64'],
  ['linux/aarch64', 'linux/arm64'],
  ['linux/arm', 'linux/arm/v7'],
  ['linux/arm/7', 'linux/arm/v7'],
  ['linux/arm/v6', 'linux/arm/v6'],
  ['linux/armhf', 'linux/arm/v7'],
  ['linux/armel', 'linux/arm/v6'],
  ['linux/i386', 'linux/386'],
  ['Linux/AMD64', 'linux/amd64'],
  ['windows/amd64', 'windows/amd64'],
  ['unknown/unknown', 'unknown/unknown'],
])('normalizePlatform(%s) = %s', (text, expected) => expect(normalizePlatform(text)).toBe(expected));

it.each([
  ['linux/amd64', true],
  ['linux/arm/v7', true],
  ['linux', false],
  ['linux/amd64/v8/x', false],
  ['linux amd64', false],
  ['/amd64', false],
])('isPlatformText(%j) = %j', (text, expected) => expect(isPlatformText(text)).toBe(expected));

it.each([
  [{ os: 'linux', architecture: 'arm', variant: 'v7' }, 'linux/arm/v7'],
  [{ os: 'linux', architecture: 'amd64', variant: '' }, 'linux/amd64'],
  [{ os: 'linux' }, ''],
  [{ os: 1, architecture: 'amd64' }, ''],
  [undefined, ''],
])('readPlatform(%j) formats as %j', (value, expected) =>
  expect(formatPlatform(readPlatform(value))).toBe(expected),
);
