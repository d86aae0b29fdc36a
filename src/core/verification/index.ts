// Verification as a library: what verify mode and build mode's post-push check call.
import { CheckError, describeError, InputError } from '../errors';
import { RegistryClient } from '../registry/client';
import { backoffDelay, limitsFromEnv } from '../registry/limits';
import { parseReference, Reference } from '../registry/reference';
import { Log } from '../output/log';
import { evaluate } from './check';
import { limiter } from './limit';
import { Expectation, ImageReport, VerifyReport } from './report';
import { observe } from './walk';

export { formatImageReport } from './text';

export interface VerifyOptions {
  insecureRegistries: string[];
  log: Log;
  /** retries for a tag/digest not yet visible right after a push (ECR) */
  notFoundRetries?: number;
  /**
   * Keep going when a reference cannot be checked: it is in the report with a `could-not-check` problem and
   * the reason (uncheckedImages), beside every other reference's verdict. Otherwise its CheckError is thrown.
   */
  keepGoing?: boolean;
}

/**
 * Requests in flight at once, across all references. Children are HEADed together, so an index costs one
 * round trip more than a single manifest as long as its children fit in one wave: 32 covers the multi-platform
 * indexes buildx makes (a platform and its attestation each) many times over, and stays polite to a registry.
 */
export const MAX_IN_FLIGHT = 32;

/**
 * Checks each reference against the expectation. A violation is a problem in the report (`not-found`
 * included); anything that stops the check (network, auth, timeouts, a hostile answer) throws CheckError, or
 * with `keepGoing` is a `could-not-check` problem of that reference: never a pass. A malformed reference
 * throws InputError before any request.
 */
export function verifyImages(
  refs: string[],
  expectation: Expectation,
  options: VerifyOptions,
): Promise<VerifyReport> {
  return verifyReferences(
    refs.map((ref) => parseReference(ref)),
    expectation,
    options,
  );
}

export async function verifyReferences(
  refs: Reference[],
  expectation: Expectation,
  options: VerifyOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<VerifyReport> {
  const limits = limitsFromEnv(env);
  const client = new RegistryClient({
    insecureRegistries: options.insecureRegistries,
    log: options.log,
    env,
    limits,
  });
  const walk = {
    limit: limiter(MAX_IN_FLIGHT),
    log: options.log,
    notFoundRetries: options.notFoundRetries ?? 0,
    notFoundDelayMs: (attempt: number) => backoffDelay(attempt, limits),
  };
  let expired = false;
  try {
    const images = await Promise.all(
      refs.map((ref) =>
        withDeadline(observe(client, ref, expectation, walk), ref, limits.deadlineMs, () => {
          expired = true;
        }).then(
          (observation) => evaluate(observation, expectation),
          (error: unknown) => {
            if (!options.keepGoing || error instanceof InputError) throw error;
            return couldNotCheck(ref, error);
          },
        ),
      ),
    );
    return { images };
  } finally {
    // Past a deadline, requests may still be waiting on a stalled registry: end them rather than wait.
    await (expired ? client.destroy() : client.close());
  }
}

/** The check of one reference, or a CheckError once `ms` have passed, whatever its requests are doing. */
function withDeadline<T>(work: Promise<T>, ref: Reference, ms: number, onExpiry: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onExpiry();
      reject(
        new CheckError(
          `The check of ${ref.raw} did not finish within ${ms} ms (BUILDX_GUARD_DEADLINE_MS): the registry is too slow or stalled.`,
        ),
      );
    }, ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function couldNotCheck(ref: Reference, error: unknown): ImageReport {
  return {
    ref: ref.raw,
    digest: '',
    mediaType: '',
    ok: false,
    children: [],
    problems: [{ code: 'could-not-check', message: describeError(error) }],
  };
}
