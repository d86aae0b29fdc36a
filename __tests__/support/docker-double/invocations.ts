// The double's record of every docker invocation (`$BXG_DOCKER_LOG`, one JSON line each), so tests can assert
// exactly what the action ran, and what it did not.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

export interface Invocation {
  argv: string[];
  /** BUILDX_NO_DEFAULT_ATTESTATIONS as the child saw it; null when unset. */
  noDefaultAttestations: string | null;
}

export function recordInvocation(argv: string[], env: NodeJS.ProcessEnv): void {
  if (!env.BXG_DOCKER_LOG) return;
  const entry: Invocation = { argv, noDefaultAttestations: env.BUILDX_NO_DEFAULT_ATTESTATIONS ?? null };
  appendFileSync(env.BXG_DOCKER_LOG, `${JSON.stringify(entry)}\n`);
}

export function readInvocations(path: string): Invocation[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Invocation);
}

/** The `docker buildx build` invocations only. */
export function buildInvocations(path: string): Invocation[] {
  return readInvocations(path).filter(
    (i) => i.argv[0] === 'buildx' && (i.argv[1] === 'build' || i.argv[1] === 'b'),
  );
}
