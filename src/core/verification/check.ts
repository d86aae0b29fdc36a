// Applies an Expectation to what was observed in the registry: a pure function from observation to report.
import { Annotation, DOCKER_FAMILY, OCI_FAMILY } from '../registry/mediatype';
import { ChildClass, Descriptor, isIndexKind, KIND_NAMES, ManifestKind, UnexpectedChild } from './classify';
import { formatPlatform, normalizePlatform } from './platform';
import { ChildReport, Expectation, ImageReport, Problem } from './report';

/** What the walk saw under one reference. */
export interface ImageObservation {
  ref: string;
  /** The digest the reference asked for, if it named one. */
  requestedDigest?: string;
  /** Undefined when the registry has nothing under the reference. */
  top?: TopObservation;
}

export interface TopObservation {
  mediaType: string;
  kind: ManifestKind;
  /** Digest of the bytes served. */
  digest: string;
  /** Docker-Content-Digest, when sent. */
  headerDigest?: string;
  /**
   * The platform in the image config, when it was looked at (a manifest, with platforms expected), or why it
   * could not be read.
   */
  platform?: string | { unknown: string; missingBlob?: string };
  /** Why the body contradicts the Content-Type (classify's contentTypeMismatch). */
  mismatch?: string;
  /** Config and layer blobs of a manifest that are missing (verify-blobs). */
  missingBlobs: string[];
  /** Excerpts of config and layer entries that are not valid descriptors (verify-blobs). */
  invalidBlobs?: string[];
  children: ChildObservation[];
}

export interface ChildObservation {
  /** Undefined when the index entry is not a valid descriptor; `raw` then says what it held. */
  descriptor?: Descriptor;
  raw?: string;
  class: ChildClass;
  present: boolean;
  /** What the registry says about the child: from a HEAD, or from the bytes when it was fetched. */
  served?: { digest?: string; size?: number; mediaType?: string };
  /** Why the fetched body contradicts its Content-Type or descriptor (verify-blobs only). */
  mismatch?: string;
  missingBlobs: string[];
  invalidBlobs?: string[];
}

const FAMILIES = { docker: DOCKER_FAMILY, oci: OCI_FAMILY } as const;

export function evaluate(observation: ImageObservation, expectation: Expectation): ImageReport {
  const { top } = observation;
  if (!top) {
    return report(
      observation,
      '',
      '',
      [],
      [
        problem(
          'not-found',
          `${observation.ref} does not exist in the registry (no manifest under that reference).`,
        ),
      ],
    );
  }
  const children = top.children.map(childReport);
  if (observation.requestedDigest && top.digest !== observation.requestedDigest) {
    return report(observation, top.digest, top.mediaType, children, [
      problem(
        'digest-mismatch',
        `The registry served bytes with digest ${top.digest} for ${observation.requestedDigest}: they are not the requested manifest.`,
        observation.requestedDigest,
      ),
    ]);
  }
  return report(
    observation,
    top.digest,
    top.mediaType,
    children,
    topProblems(observation.ref, top, expectation),
  );
}

function topProblems(ref: string, top: TopObservation, expectation: Expectation): Problem[] {
  const problems: Problem[] = [];
  if (top.headerDigest && top.headerDigest !== top.digest) {
    problems.push(
      problem(
        'digest-mismatch',
        `Docker-Content-Digest says ${top.headerDigest}, but the bytes served hash to ${top.digest}.`,
        top.digest,
      ),
    );
  }
  if (top.mismatch) {
    problems.push(
      problem('content-type-mismatch', `${ref} cannot be trusted as served: ${top.mismatch}.`, top.digest),
    );
  }
  if (top.kind === 'schema1' || top.kind === 'unknown') {
    const what =
      top.kind === 'schema1'
        ? 'a Docker schema1 manifest'
        : `"${top.mediaType || 'no media type'}" that is not a well-formed image manifest or index`;
    problems.push(
      problem('unsupported-media-type', `${ref} is ${what}: current clients cannot pull it.`, top.digest),
    );
    return problems;
  }
  const index = isIndexKind(top.kind);
  const name = KIND_NAMES[top.kind];
  problems.push(
    ...familyProblems(
      `${ref} is served as ${top.mediaType} (${name})`,
      top.mediaType,
      expectation,
      top.digest,
    ),
  );
  if (expectation.shape === 'manifest' && index) {
    problems.push(
      problem(
        'unexpected-index',
        `${ref} is ${top.mediaType} (${name}) with ${describeChildren(top.children)}, but a single image manifest was expected.`,
        top.digest,
      ),
    );
  }
  if (expectation.shape === 'index' && !index) {
    problems.push(
      problem(
        'unexpected-manifest',
        `${ref} is ${top.mediaType} (${name}), but an index was expected.`,
        top.digest,
      ),
    );
  }
  problems.push(...platformProblems(ref, top, expectation));
  if (index) problems.push(...indexProblems(ref, top));
  const attestations = attestationRule(top, expectation);
  for (const child of top.children) problems.push(...childProblems(child, expectation, attestations));
  if (attestations === 'require') problems.push(...missingAttestations(ref, top));
  problems.push(...blobProblems(ref, top));
  return problems;
}

/**
 * An index of nothing but attestations (or of nothing) is unpullable; an attestation for an image the index
 * does not hold is stale. (Other children that are no image have problems of their own.)
 */
function indexProblems(ref: string, top: TopObservation): Problem[] {
  const images = new Set(
    top.children.filter((c) => c.class.kind === 'image').map((c) => c.descriptor?.digest),
  );
  if (top.children.every((child) => child.class.kind === 'attestation')) {
    return [
      problem(
        'missing-child',
        `${ref} is an index with ${describeChildren(top.children)} and no image in it: nothing can be pulled from it.`,
        top.digest,
      ),
    ];
  }
  return top.children.flatMap((child) => {
    const subject = child.descriptor?.annotations?.[Annotation.ReferenceDigest];
    if (child.class.kind !== 'attestation' || subject === undefined || images.has(subject)) return [];
    return [
      problem(
        'attestation-child',
        `Child ${child.descriptor!.digest} is an attestation for ${subject}, which is no image of ${ref}: a stale attestation of an image this index no longer holds.`,
        child.descriptor!.digest,
      ),
    ];
  });
}

function blobProblems(
  label: string,
  observed: Pick<TopObservation, 'missingBlobs' | 'invalidBlobs'>,
): Problem[] {
  return [
    ...observed.missingBlobs.map((blob) =>
      problem('missing-blob', `Blob ${blob} of ${label} is missing from the registry.`, blob),
    ),
    ...(observed.invalidBlobs ?? []).map((raw) =>
      problem(
        'unsupported-media-type',
        `${label} has a config or layer entry that is not a valid descriptor, so its blob cannot be checked: ${raw}.`,
      ),
    ),
  ];
}

function platformProblems(ref: string, top: TopObservation, expectation: Expectation): Problem[] {
  const expected = [...new Set(expectation.platforms.map(normalizePlatform))];
  if (expected.length === 0) return [];
  if (!isIndexKind(top.kind)) {
    // An index was expected: unexpected-manifest already says what is wrong.
    if (expectation.shape === 'index' || top.platform === undefined) return [];
    if (typeof top.platform !== 'string') {
      const { unknown, missingBlob } = top.platform;
      return [
        problem(
          missingBlob ? 'missing-blob' : 'platform-mismatch',
          `The platform of ${ref} cannot be checked against ${expected.join(', ')}: ${unknown}.`,
          missingBlob ?? top.digest,
        ),
      ];
    }
    const found = normalizePlatform(top.platform);
    if (expected.length === 1 && expected[0] === found) return [];
    return [
      problem(
        'platform-mismatch',
        `${ref} is a single image for ${top.platform}, but ${expected.join(', ')} ${expected.length === 1 ? 'was' : 'were'} expected.`,
        top.digest,
      ),
    ];
  }
  const images = top.children.filter((child) => child.class.kind === 'image' && child.descriptor);
  const found = new Map(
    images.map((child) => [normalizePlatform(formatPlatform(child.descriptor!.platform)), child]),
  );
  const problems = expected
    .filter((platform) => !found.has(platform))
    .map((platform) =>
      problem('platform-mismatch', `${ref} has no image for ${platform}, which was expected.`),
    );
  for (const [platform, child] of found) {
    if (expected.includes(platform)) continue;
    problems.push(
      problem(
        'platform-mismatch',
        `${ref} has an image for ${platform || 'no platform'} (${child.descriptor!.digest}), which was not expected (expected: ${expected.join(', ')}).`,
        child.descriptor!.digest,
      ),
    );
  }
  return problems;
}

const UNEXPECTED_CHILD: Record<UnexpectedChild, string> = {
  'nested-index': 'is itself an index (nested indexes are not pulled by every client)',
  schema1: 'is a Docker schema1 manifest, which current clients cannot pull',
  'unknown-media-type': 'has a media type that is neither an image manifest nor an index',
  malformed: 'is served with a body that is not a well-formed image manifest',
  'unknown-platform':
    'has platform unknown/unknown without the attestation annotation: it is neither a runnable image nor a recognised attestation',
};

/** `auto` settled for this manifest: attestations belong to multi-platform indexes only. */
function attestationRule(top: TopObservation, expectation: Expectation): 'allow' | 'deny' | 'require' {
  if (expectation.attestations !== 'auto') return expectation.attestations;
  return top.children.filter((child) => child.class.kind === 'image').length > 1 ? 'allow' : 'deny';
}

/** `require`: each image needs an attestation child whose reference digest names it. */
function missingAttestations(ref: string, top: TopObservation): Problem[] {
  if (!isIndexKind(top.kind)) {
    return [
      problem(
        'missing-attestation',
        `${ref} is a single image manifest: it cannot carry an attestation, which is required (push an index with provenance).`,
        top.digest,
      ),
    ];
  }
  const attested = new Set(
    top.children
      .filter((child) => child.class.kind === 'attestation')
      .map((child) => child.descriptor?.annotations?.[Annotation.ReferenceDigest]),
  );
  return top.children
    .filter((child) => child.class.kind === 'image' && !attested.has(child.descriptor?.digest))
    .map((child) =>
      problem(
        'missing-attestation',
        `Child ${child.descriptor!.digest} (${describeChild(child)}) has no attestation child that references it, and attestations are required.`,
        child.descriptor!.digest,
      ),
    );
}

function childProblems(
  child: ChildObservation,
  expectation: Expectation,
  attestations: 'allow' | 'deny' | 'require',
): Problem[] {
  const { descriptor } = child;
  if (!descriptor) {
    return [
      problem(
        'unsupported-media-type',
        `The index has an entry that is not a valid descriptor: ${child.raw ?? 'unreadable'}.`,
      ),
    ];
  }
  const label = `Child ${descriptor.digest} (${describeChild(child)})`;
  const problems: Problem[] = [];
  const at = descriptor.digest;
  if (child.class.kind === 'attestation' && attestations === 'deny') {
    problems.push(
      problem(
        'attestation-child',
        `${label} is an attestation manifest${attestationSubject(descriptor)}; attestation children were not expected.`,
        at,
      ),
    );
  }
  if (child.class.unexpected) {
    const code =
      child.class.unexpected === 'unknown-platform' ? 'platform-mismatch' : 'unsupported-media-type';
    problems.push(problem(code, `${label} ${UNEXPECTED_CHILD[child.class.unexpected]}.`, at));
  }
  if (!child.present) {
    problems.push(
      problem(
        'missing-child',
        `${label} is missing from the registry: the index is dangling and pulls will fail.`,
        at,
      ),
    );
    return problems;
  }
  problems.push(...servedMismatches(label, descriptor, child.served ?? {}));
  if (child.mismatch) {
    problems.push(
      problem('content-type-mismatch', `${label} cannot be trusted as served: ${child.mismatch}.`, at),
    );
  }
  problems.push(
    ...familyProblems(`${label} is ${descriptor.mediaType}`, descriptor.mediaType, expectation, at),
  );
  problems.push(...blobProblems(label, child));
  return problems;
}

/** `media-types: docker|oci`: each manifest must be in that family (`what` says what was served). */
function familyProblems(
  what: string,
  mediaType: string,
  expectation: Expectation,
  digest: string,
): Problem[] {
  if (expectation.mediaTypes === 'any' || FAMILIES[expectation.mediaTypes].includes(mediaType)) return [];
  const family = expectation.mediaTypes === 'docker' ? 'Docker v2' : 'OCI';
  return [problem('media-type-family', `${what}, but only ${family} media types were expected.`, digest)];
}

/** The registry must serve exactly what the index's descriptor describes. */
function servedMismatches(
  label: string,
  descriptor: Descriptor,
  served: NonNullable<ChildObservation['served']>,
) {
  const mismatches: string[] = [];
  if (served.digest !== undefined && served.digest !== descriptor.digest) {
    mismatches.push(`digest ${served.digest}`);
  }
  if (served.size !== undefined && served.size !== descriptor.size) {
    mismatches.push(`${served.size} bytes instead of ${descriptor.size}`);
  }
  if (served.mediaType && served.mediaType !== descriptor.mediaType) {
    mismatches.push(`media type ${served.mediaType} instead of ${descriptor.mediaType}`);
  }
  if (mismatches.length === 0) return [];
  return [
    problem(
      'digest-mismatch',
      `${label} is served with ${mismatches.join(', ')}: the registry does not hold what the index describes.`,
      descriptor.digest,
    ),
  ];
}

function childReport(child: ChildObservation): ChildReport {
  return {
    digest: child.descriptor?.digest ?? '',
    mediaType: child.descriptor?.mediaType ?? '',
    platform: formatPlatform(child.descriptor?.platform),
    kind: child.class.kind,
    present: child.present,
  };
}

function describeChild(child: ChildObservation): string {
  const platform = formatPlatform(child.descriptor?.platform) || 'no platform';
  return child.class.kind === 'image' ? platform : `${platform}, ${child.class.kind}`;
}

function describeChildren(children: ChildObservation[]): string {
  if (children.length === 0) return 'no children';
  const counts = new Map<string, number>();
  for (const child of children) counts.set(child.class.kind, (counts.get(child.class.kind) ?? 0) + 1);
  const parts = [...counts].map(([kind, count]) => `${count} ${kind}${count === 1 ? '' : 's'}`);
  return `${children.length} ${children.length === 1 ? 'child' : 'children'} (${parts.join(', ')})`;
}

function attestationSubject(descriptor: Descriptor): string {
  const subject = descriptor.annotations?.[Annotation.ReferenceDigest];
  return subject ? ` for ${subject}` : '';
}

function problem(code: Problem['code'], message: string, digest?: string): Problem {
  return digest ? { code, message, digest } : { code, message };
}

function report(
  observation: ImageObservation,
  digest: string,
  mediaType: string,
  children: ChildReport[],
  problems: Problem[],
): ImageReport {
  return { ref: observation.ref, digest, mediaType, ok: problems.length === 0, children, problems };
}
