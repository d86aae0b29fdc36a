// The message that fails the step when the registry serves something else than the build should have pushed:
// the tag, the media type found and expected, each unexpected child, and the one change that fixes it.
import { DOCKER_FAMILY, IMAGE_MANIFEST_TYPES, INDEX_TYPES, OCI_FAMILY } from '../../core/registry/mediatype';
import { PolicyPlan } from '../../core/policy/policy';
import { Expectation, ImageReport, ProblemCode, VerifyReport } from '../../core/verification/report';

/** How to name a setting: `attestation-policy: auto` in a workflow, `--attestation-policy auto` on the CLI. */
export type SettingStyle = 'action' | 'cli';

function setting(style: SettingStyle, name: string, value: string): string {
  return style === 'action' ? `${name}: ${value}` : `--${name} ${value}`;
}

export function describeExpected(expectation: Expectation): string {
  const family = { any: [...DOCKER_FAMILY, ...OCI_FAMILY], docker: DOCKER_FAMILY, oci: OCI_FAMILY }[
    expectation.mediaTypes
  ];
  const pick = (types: readonly string[]) => types.filter((type) => family.includes(type)).join(' or ');
  const manifest = `an image manifest (${pick(IMAGE_MANIFEST_TYPES)})`;
  const platforms = expectation.platforms.length > 0 ? ` for ${expectation.platforms.join(', ')}` : '';
  const attestations = {
    deny: ', without attestation children',
    require: ', with an attestation child for each image',
    allow: '',
    auto: '',
  }[expectation.attestations];
  const index = `an index (${pick(INDEX_TYPES)})${platforms}${attestations}`;
  // A single manifest cannot carry an attestation: only the index can meet `require`.
  if (expectation.attestations === 'require' && expectation.shape !== 'manifest') return index;
  if (expectation.shape === 'manifest') return manifest;
  if (expectation.shape === 'index') return index;
  return `${manifest} or ${index}`;
}

/**
 * The free first look: buildx's metadata already names the media type it pushed. A mismatch is worth a warning
 * before the registry is asked; the registry's answer still decides.
 */
export function firstLookWarning(pushedType: string, expectation: Expectation): string | undefined {
  if (!pushedType || expectation.shape === 'auto') return undefined;
  if (INDEX_TYPES.includes(pushedType) === (expectation.shape === 'index')) return undefined;
  return `buildx reports it pushed ${pushedType}; expected ${describeExpected(expectation)}. Checking what the registry serves.`;
}

function describeFound(image: ImageReport): string {
  const isIndex = INDEX_TYPES.includes(image.mediaType);
  const shape = isIndex ? `an index of ${image.children.length}` : 'an image manifest';
  return image.mediaType ? `${shape} (${image.mediaType})` : 'nothing';
}

function unexpectedChildren(image: ImageReport, expectation: Expectation): string[] {
  const attestationsWanted = expectation.attestations === 'allow' && expectation.shape !== 'manifest';
  return image.children
    .filter(
      (child) =>
        !child.present || child.kind === 'unknown' || (child.kind === 'attestation' && !attestationsWanted),
    )
    .map((child) => {
      const what = child.present ? `unexpected ${child.kind} child` : 'missing child';
      const reference =
        child.kind === 'attestation' ? ', vnd.docker.reference.type=attestation-manifest' : '';
      return `  ${what} ${child.digest} (platform ${child.platform || 'none'}${reference})`;
    });
}

/**
 * Every tag must serve what this build pushed: buildx's `containerimage.digest`. A tag that serves another
 * image (a concurrent push, a stale mirror) is a digest-mismatch, whatever shape it has.
 */
export function tagsServePush(report: VerifyReport, pushedDigest: string): VerifyReport {
  if (!pushedDigest) return report;
  return {
    images: report.images.map((image) => {
      // A reference by digest is checked against its own digest already.
      if (!image.digest || image.digest === pushedDigest || image.ref.includes('@')) return image;
      const message = `${image.ref} serves ${image.digest}, not ${pushedDigest}, which this build pushed: another push changed the tag, or something in between serves other content.`;
      return {
        ...image,
        ok: false,
        problems: [...image.problems, { code: 'digest-mismatch', message, digest: image.digest }],
      };
    }),
  };
}

/** The single change that fixes the first problem, in terms of this step's settings. */
export function fixFor(codes: readonly ProblemCode[], plan: PolicyPlan, style: SettingStyle): string {
  const has = (...wanted: ProblemCode[]) => wanted.some((code) => codes.includes(code));
  if (has('missing-child', 'missing-blob')) {
    return 'The index is dangling: a child it lists is gone (registry garbage collection?). Push the image again with its children; re-pushing the index alone does not restore them.';
  }
  if (has('unexpected-index', 'attestation-child')) {
    if (plan.strips) {
      return 'This build was pushed without attestations, yet the registry serves an index: another push to the same tag may have overwritten it. Check for concurrent builds pushing this tag.';
    }
    return `Set ${setting(style, 'attestation-policy', 'auto')} (or strip) so a single-platform push is a plain manifest, or ${setting(style, 'expect', 'index')} if you want the attestation index.`;
  }
  if (has('unexpected-manifest')) {
    return `The push is a single image. Build for every platform you expect, or set ${setting(style, 'expect', 'manifest')}.`;
  }
  if (has('platform-mismatch'))
    return 'The index holds other platforms than the build asked for: check the platforms setting and what the builder supports.';
  if (has('media-type-family')) {
    return `Set ${setting(style, 'media-types', 'any')}, or choose the family with oci-mediatypes=true|false in the image output.`;
  }
  if (has('missing-attestation')) {
    return `Every image must carry an attestation: keep buildx's provenance (${setting(style, 'attestation-policy', 'keep')}, no provenance=false), or drop ${setting(style, 'attestations', 'require')}.`;
  }
  if (has('not-found'))
    return 'The registry does not show the pushed reference: check the image name, the registry and its credentials.';
  if (has('digest-mismatch'))
    return 'The registry served bytes that do not match their digest: a proxy or mirror in between may rewrite manifests.';
  return 'See the problems above.';
}

/**
 * The step's failure message for every image that failed: what was found, what was expected, the unexpected
 * children, and the fix; followed by the report's own rendering (the manifest tree).
 */
export function verificationFailure(
  failed: readonly ImageReport[],
  expectation: Expectation,
  plan: PolicyPlan,
  style: SettingStyle,
  render: (image: ImageReport) => string,
): string {
  const parts = failed.map((image) => {
    const headline = `${image.ref}: the registry serves ${describeFound(image)}; expected ${describeExpected(expectation)}.`;
    const fix = `Fix: ${fixFor(
      image.problems.map((p) => p.code),
      plan,
      style,
    )}`;
    const rendered = render(image).trimEnd();
    return [
      headline,
      ...unexpectedChildren(image, expectation),
      fix,
      ...(rendered ? ['', rendered] : []),
    ].join('\n');
  });
  return `The registry does not serve what this build should have pushed.\n\n${parts.join('\n\n')}`;
}
