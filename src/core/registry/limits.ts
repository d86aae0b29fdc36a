// How long and how often the registry client tries: bounded, so a step never hangs, and tunable for tests.
import { InputError } from '../errors';

export interface Limits {
  /** One request, from connect to the last body byte. Default 30 s (BUILDX_GUARD_TIMEOUT_MS). */
  timeoutMs: number;
  /** Further attempts after a 408, 429, 5xx, reset or timeout. Default 3 (BUILDX_GUARD_RETRIES). */
  retries: number;
  /** First backoff; it doubles each attempt up to 16x. Default 500 ms (BUILDX_GUARD_RETRY_BASE_MS). */
  backoffMs: number;
  /** The longest Retry-After honoured; a longer one ends the retries at once. Default 60 s. */
  maxRetryAfterMs: number;
  /**
   * The whole verification of one reference, retries included: a stalled registry ends it within this.
   * Default 60 s (BUILDX_GUARD_DEADLINE_MS).
   */
  deadlineMs: number;
}

/**
 * With the defaults the worst case for one request is 4 attempts x 30 s + 0.5 + 1 + 2 s of backoff, about two
 * minutes; a Retry-After can add up to a minute per attempt.
 */
export const DEFAULT_LIMITS: Limits = {
  timeoutMs: 30_000,
  retries: 3,
  backoffMs: 500,
  maxRetryAfterMs: 60_000,
  deadlineMs: 60_000,
};

export function limitsFromEnv(env: NodeJS.ProcessEnv): Limits {
  return {
    timeoutMs: readNumber(env, 'BUILDX_GUARD_TIMEOUT_MS', DEFAULT_LIMITS.timeoutMs, 1),
    retries: readNumber(env, 'BUILDX_GUARD_RETRIES', DEFAULT_LIMITS.retries, 0),
    backoffMs: readNumber(env, 'BUILDX_GUARD_RETRY_BASE_MS', DEFAULT_LIMITS.backoffMs, 0),
    maxRetryAfterMs: DEFAULT_LIMITS.maxRetryAfterMs,
    deadlineMs: readNumber(env, 'BUILDX_GUARD_DEADLINE_MS', DEFAULT_LIMITS.deadlineMs, 1),
  };
}

function readNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    throw new InputError(name, raw, `Use a whole number of at least ${min}, or unset it for ${fallback}.`);
  }
  return Number(raw);
}

/** Statuses worth another attempt: the request may well succeed later. 501 and 505 never will. */
export function isRetryableStatus(status: number): boolean {
  return (
    status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501 && status !== 505)
  );
}

/** The wait before attempt `attempt` (1-based retry number): exponential backoff, capped at 16x the base. */
export function backoffDelay(attempt: number, limits: Limits): number {
  return limits.backoffMs * 2 ** Math.min(attempt - 1, 4);
}

/**
 * A Retry-After header (delay-seconds or an HTTP-date) in milliseconds from `now`, or undefined when absent
 * or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How long to wait before retrying, or undefined to stop: Retry-After when given (but never longer than the
 * limit allows), otherwise the backoff.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  limits: Limits,
): number | undefined {
  if (attempt > limits.retries) return undefined;
  if (retryAfterMs === undefined) return backoffDelay(attempt, limits);
  return retryAfterMs > limits.maxRetryAfterMs ? undefined : retryAfterMs;
}
