/** Exit codes shared by every mode of the CLI (the action fails the step for both non-zero codes). */
export const ExitCode = { ok: 0, violation: 1, cannotCheck: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A bad input: names the input, the value and the fix, in one sentence a person can act on.
 * It never carries a secret: callers pass the input's name and a value that is safe to show.
 */
export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly value: string,
    readonly fix: string,
  ) {
    super(`Invalid ${input}: ${JSON.stringify(value)}. ${fix}`);
    this.name = 'InputError';
  }
}

/** The tool could not check (network, auth, a missing binary): exit 2, never a silent pass. */
export class CheckError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckError';
  }
}

/** The message to show for any error: ours are already written for people; others get their message only. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
