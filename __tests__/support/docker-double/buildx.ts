// Which buildx the double pretends to be, and the flags of its `build` command (commands/build.go).
import { FlagDef } from './flags';

/** `BXG_BUILDX_VERSION=0.9.1` selects the release; the default is a current one. */
export function buildxVersion(env: NodeJS.ProcessEnv): string {
  return (env.BXG_BUILDX_VERSION || '0.19.3').replace(/^v/, '');
}

export function versionAtLeast(version: string, minimum: string): boolean {
  const have = version.split(/[.+-]/).map(Number);
  const want = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const a = have[i] || 0;
    const b = want[i] || 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** The platforms of the builder's node, as `docker buildx inspect` lists them; the first is its default. */
export function builderPlatforms(env: NodeJS.ProcessEnv): string[] {
  return (env.BXG_BUILDER_PLATFORMS || 'linux/amd64,linux/amd64/v2,linux/amd64/v3,linux/386')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

export const BUILD_FLAGS: readonly FlagDef[] = [
  { name: 'add-host', kind: 'stringSlice' },
  { name: 'allow', kind: 'stringSlice' },
  { name: 'annotation', kind: 'stringArray', since: '0.12.0' },
  { name: 'attest', kind: 'stringArray', since: '0.10.0' },
  { name: 'build-arg', kind: 'stringArray' },
  { name: 'build-context', kind: 'stringArray', since: '0.8.0' },
  { name: 'builder', kind: 'string' },
  { name: 'cache-from', kind: 'stringArray' },
  { name: 'cache-to', kind: 'stringArray' },
  { name: 'call', kind: 'string', since: '0.15.0' },
  { name: 'cgroup-parent', kind: 'string' },
  { name: 'check', kind: 'bool', since: '0.15.0' },
  { name: 'debug', short: 'D', kind: 'bool' },
  { name: 'file', short: 'f', kind: 'string' },
  { name: 'iidfile', kind: 'string' },
  { name: 'label', kind: 'stringArray' },
  { name: 'load', kind: 'bool' },
  { name: 'metadata-file', kind: 'string', since: '0.6.0' },
  { name: 'network', kind: 'string' },
  { name: 'no-cache', kind: 'bool' },
  { name: 'no-cache-filter', kind: 'stringArray' },
  { name: 'output', short: 'o', kind: 'stringArray' },
  { name: 'platform', kind: 'stringArray' },
  { name: 'progress', kind: 'string' },
  { name: 'provenance', kind: 'string', since: '0.10.0' },
  { name: 'pull', kind: 'bool' },
  { name: 'push', kind: 'bool' },
  { name: 'quiet', short: 'q', kind: 'bool' },
  { name: 'sbom', kind: 'string', since: '0.10.0' },
  { name: 'secret', kind: 'stringArray' },
  { name: 'shm-size', kind: 'string' },
  { name: 'ssh', kind: 'stringArray' },
  { name: 'tag', short: 't', kind: 'stringArray' },
  { name: 'target', kind: 'string' },
  { name: 'ulimit', kind: 'stringArray' },
];

export function buildFlagsOf(version: string): FlagDef[] {
  return BUILD_FLAGS.filter((flag) => !flag.since || versionAtLeast(version, flag.since));
}
