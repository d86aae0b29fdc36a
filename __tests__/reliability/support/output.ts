// Assertions on what a run printed: one clear error, and never a stack trace.

/** A stack frame line as node prints them (`    at fn (file:line:col)`). */
const STACK_FRAME = /^\s+at .+/m;

export function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(STACK_FRAME);
}
