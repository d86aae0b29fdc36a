import { InputError } from '../../src/core/errors';
import {
  backoffDelay,
  DEFAULT_LIMITS,
  isRetryableStatus,
  Limits,
  limitsFromEnv,
  parseRetryAfter,
  retryDelay,
} from '../../src/core/registry/limits';

const limits: Limits = {
  timeoutMs: 1000,
  retries: 3,
  backoffMs: 100,
  maxRetryAfterMs: 5000,
  deadlineMs: 60_000,
};

it.each([
  [408, true],
  [429, true],
  [500, true],
  [502, true],
  [503, true],
  [504, true],
  [501, false],
  [505, false],
  [200, false],
  [401, false],
  [404, false],
])('isRetryableStatus(%d) = %j', (status, expected) => expect(isRetryableStatus(status)).toBe(expected));

it.each([
  [1, 100],
  [2, 200],
  [3, 400],
  [5, 1600],
  [9, 1600],
])('backoffDelay(attempt %d) = %d ms', (attempt, expected) =>
  expect(backoffDelay(attempt, limits)).toBe(expected),
);

it.each([
  ['3', 3000],
  [' 0 ', 0],
  ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
  ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
  ['soon', undefined],
  [undefined, undefined],
])('parseRetryAfter(%j) = %j', (value, expected) => {
  expect(parseRetryAfter(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(expected);
});

it.each([
  [1, undefined, 100],
  [3, undefined, 400],
  [4, undefined, undefined],
  [1, 2000, 2000],
  [1, 0, 0],
  [1, 5000, 5000],
  [1, 5001, undefined],
  [4, 1000, undefined],
])('retryDelay(attempt %d, Retry-After %j) = %j', (attempt, retryAfter, expected) => {
  expect(retryDelay(attempt, retryAfter, limits)).toBe(expected);
});

describe('limitsFromEnv', () => {
  it('uses the documented defaults', () => expect(limitsFromEnv({})).toEqual(DEFAULT_LIMITS));
  it('reads the variables', () => {
    expect(
      limitsFromEnv({
        BUILDX_GUARD_TIMEOUT_MS: '250',
        BUILDX_GUARD_RETRIES: '0',
        BUILDX_GUARD_RETRY_BASE_MS: '5',
      }),
    ).toEqual({ ...DEFAULT_LIMITS, timeoutMs: 250, retries: 0, backoffMs: 5 });
  });
  it.each([
    [
      { BUILDX_GUARD_TIMEOUT_MS: '0' },
      'Invalid BUILDX_GUARD_TIMEOUT_MS: "0". Use a whole number of at least 1, or unset it for 30000.',
    ],
    [{ BUILDX_GUARD_TIMEOUT_MS: '1.5s' }, 'Invalid BUILDX_GUARD_TIMEOUT_MS: "1.5s".'],
    [
      { BUILDX_GUARD_RETRIES: '-1' },
      'Invalid BUILDX_GUARD_RETRIES: "-1". Use a whole number of at least 0, or unset it for 3.',
    ],
  ])('rejects %j', (env, message) => {
    expect(() => limitsFromEnv(env)).toThrow(InputError);
    expect(() => limitsFromEnv(env)).toThrow(message);
  });
});
