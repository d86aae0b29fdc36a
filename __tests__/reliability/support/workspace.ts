// What a build step needs on disk: a build context with a Dockerfile, and a docker config directory.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp directory holding `context/Dockerfile`; returns the context's absolute path. */
export function buildContext(): string {
  const context = join(mkdtempSync(join(tmpdir(), 'bxg-reliability-')), 'context');
  mkdirSync(context);
  writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\n');
  return context;
}

/** A DOCKER_CONFIG directory without a config.json: no credentials, and never the developer's own. */
export function emptyDockerConfig(): string {
  return mkdtempSync(join(tmpdir(), 'bxg-no-docker-config-'));
}

/** Settings that keep retries quick in tests: the bounds stay, only the waits shrink. */
export const QUICK_RETRIES = { BUILDX_GUARD_RETRY_BASE_MS: '10' };
