// The buildx version, from `docker buildx version`, decides which flags exist (attestations arrived in 0.10).

export interface BuildxVersion {
  major: number;
  minor: number;
  patch: number;
  /** As printed, e.g. `v0.19.3` or `0.9.1+azure-2`. */
  text: string;
}

/**
 * Reads `github.com/docker/buildx v0.19.3 48d6a39`, `github.com/docker/buildx 0.9.1+azure-2 ed00243`,
 * `v0.10.0-docker` and the like. Returns undefined for anything without a version number (a dev build).
 */
export function parseBuildxVersion(output: string): BuildxVersion | undefined {
  const match = /(?:^|\s)(v?(\d+)\.(\d+)(?:\.(\d+))?[^\s]*)/.exec(output.trim());
  if (!match) return undefined;
  const [, text, major, minor, patch] = match;
  return { major: Number(major), minor: Number(minor), patch: Number(patch ?? 0), text };
}

/** True when `version` is at least `minimum` ("0.10.0"). An unknown version is taken to be a current one. */
export function buildxAtLeast(version: BuildxVersion | undefined, minimum: string): boolean {
  if (!version) return true;
  const [major, minor, patch] = minimum.split('.').map(Number);
  const have = [version.major, version.minor, version.patch];
  const want = [major, minor, patch ?? 0];
  for (let i = 0; i < 3; i++) {
    if (have[i] !== want[i]) return have[i] > want[i];
  }
  return true;
}

export function describeBuildxVersion(version: BuildxVersion | undefined): string {
  return version ? `buildx ${version.text}` : 'buildx (unknown version)';
}

/** The buildx releases that introduced the flags build mode may pass. */
export const BUILDX_FEATURES = {
  metadataFile: '0.6.0',
  buildContexts: '0.8.0',
  attestations: '0.10.0',
  /** More than one `--output`, or `--push` with `--load`. */
  multipleOutputs: '0.13.0',
  annotations: '0.12.0',
  call: '0.15.0',
} as const;
