// The verify report of DESIGN.md: CLI `--format json`, the action's `report` output, and build mode's verdict.

export type ProblemCode =
  | 'unexpected-index'
  | 'unexpected-manifest'
  | 'attestation-child'
  | 'missing-child'
  | 'missing-blob'
  | 'platform-mismatch'
  | 'media-type-family'
  | 'digest-mismatch'
  | 'not-found'
  | 'unsupported-media-type'
  /** `--attestations require`: an image child that no attestation child references. */
  | 'missing-attestation'
  /** The body says another kind than the Content-Type, or holds both an index's and a manifest's fields. */
  | 'content-type-mismatch'
  /** The check was asked for and could not be done (network, auth, the registry's answer): exit 2. */
  | 'could-not-check';

export type ChildKind = 'image' | 'attestation' | 'unknown';

export interface ChildReport {
  digest: string;
  mediaType: string;
  platform: string;
  kind: ChildKind;
  present: boolean;
}

export interface Problem {
  code: ProblemCode;
  message: string;
  digest?: string;
}

export interface ImageReport {
  ref: string;
  digest: string;
  mediaType: string;
  ok: boolean;
  children: ChildReport[];
  problems: Problem[];
}

export interface VerifyReport {
  images: ImageReport[];
}

/** What the registry is expected to serve under a reference. */
export interface Expectation {
  /** `auto` accepts either shape but still applies the other checks. */
  shape: 'auto' | 'manifest' | 'index';
  /** Platforms an index must hold exactly (os/arch[/variant]); empty means any. */
  platforms: string[];
  /**
   * `auto`: allowed in a multi-platform index, denied in a single-platform one (as the attestation policy
   * `auto` builds them). `require`: every image must have an attestation child that references it.
   */
  attestations: 'auto' | 'allow' | 'deny' | 'require';
  mediaTypes: 'any' | 'docker' | 'oci';
  verifyBlobs: boolean;
}

/** The references that could not be checked (exit 2, never a pass). */
export function uncheckedImages(report: VerifyReport): ImageReport[] {
  return report.images.filter((image) => image.problems.some((p) => p.code === 'could-not-check'));
}
