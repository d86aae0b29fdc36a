// Programs that stand in for a broken machine: a docker without the buildx plugin.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A directory with a `docker` that answers every command as a docker CLI without the buildx plugin does. */
export function dockerWithoutBuildx(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bxg-docker-no-buildx-'));
  const docker = join(dir, 'docker');
  writeFileSync(
    docker,
    `#!/bin/sh\necho "docker: '$1' is not a docker command." >&2\necho "See 'docker --help'" >&2\nexit 1\n`,
  );
  chmodSync(docker, 0o755);
  return dir;
}
