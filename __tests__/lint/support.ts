// Builders for the lint tests: a build model with defaults that each test overrides, so a table row says only
// what it is about.
import { Build, ManifestMerge } from '../../src/modes/lint/model';

/** A single-platform `docker buildx build --push` with buildx's default provenance. */
export function aBuild(overrides: Partial<Build>): Build {
  return {
    kind: 'build',
    file: '.github/workflows/build.yml',
    at: { line: 10, column: 11 },
    tool: '`docker buildx build`',
    push: true,
    pushByDigest: false,
    platforms: { single: true, description: "the builder's default platform" },
    provenance: { on: true },
    sbom: { on: false },
    tags: ['docker.io/acme/app:latest'],
    disable: { advice: 'add `--provenance=false --sbom=false` to the `docker buildx build` command' },
    loads: [],
    keepsAttestations: true,
    ...overrides,
  };
}

/** `docker manifest create acme/app:multi --amend <each source>`. */
export function aMerge(sources: string[], file = '.github/workflows/merge.yml'): ManifestMerge {
  return {
    kind: 'manifest-merge',
    file,
    at: { line: 5, column: 11 },
    sources: sources.map((ref, index) => ({ text: ref, refs: [ref], at: { line: 6 + index, column: 19 } })),
  };
}
