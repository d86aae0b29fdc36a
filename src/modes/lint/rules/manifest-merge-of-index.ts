import { Finding, RuleMeta } from '../finding';
import { BuildStep, indexReasons, ManifestMerge, MergeSource } from '../model';
import { isUnknown, or, Tri } from '../tri';
import { listed, Rule, verdictFinding } from './rule';

const meta: RuleMeta = {
  id: 'manifest-merge-of-index',
  defaultSeverity: 'error',
  summary: '`docker manifest create` merges an image that this repository pushes as an index; it will fail.',
  help:
    '`docker manifest create` (with or without `--amend`) only merges image manifests. When a source image is ' +
    'pushed as an index (because buildx added a provenance attestation, or because it is multi-platform), it fails ' +
    'with "<image> is a manifest list" (or "manifest blob unknown"). The linter matches the sources against the ' +
    'images pushed by every workflow it checks.\n\n' +
    'Fix: disable attestations in the step that pushes the source (`--provenance=false --sbom=false`, or ' +
    '`provenance: false`), or merge with `docker buildx imagetools create -t <list> <sources…>`, which accepts ' +
    'indexes. Pushing by digest (`push-by-digest=true`) and merging with `imagetools create` is the documented ' +
    'pattern and is never flagged.',
};

/** A push of an image reference, and whether what it pushes is an index. */
interface Pushed {
  step: BuildStep;
  index: Tri;
  /** "as an OCI image index (…)", for the message. */
  shape: string;
  /** How the pushing step could push a plain manifest instead, when attestations are what make it an index. */
  stepFix?: string;
}

function checkRepository(steps: readonly BuildStep[]): Finding[] {
  const pushes = new Map<string, Pushed[]>();
  for (const step of steps) {
    const pushed = pushedShape(step);
    if (!pushed || step.kind === 'manifest-merge') continue;
    for (const tag of step.tags) {
      const same = pushes.get(tag);
      if (same) same.push(pushed);
      else pushes.set(tag, [pushed]);
    }
  }
  return steps.flatMap((step) =>
    step.kind === 'manifest-merge' ? step.sources.flatMap((source) => checkSource(step, source, pushes)) : [],
  );
}

function pushedShape(step: BuildStep): Pushed | undefined {
  if (step.kind === 'index-copy') {
    return { step, index: true, shape: 'as an index' };
  }
  if (step.kind !== 'build' || step.push === false || step.pushByDigest) return undefined;
  const { multiPlatform, attestations, index } = indexReasons(step);
  const shape =
    multiPlatform === true
      ? `as a multi-platform index (${step.platforms.description})`
      : 'as an OCI image index (the image plus the provenance attestation manifest buildx adds by default)';
  const stepFix = multiPlatform === true || attestations === false ? undefined : step.disable.advice;
  return { step, index, shape, stepFix };
}

function checkSource(merge: ManifestMerge, source: MergeSource, pushes: Map<string, Pushed[]>): Finding[] {
  const candidates = source.refs.flatMap((ref) => pushes.get(ref) ?? []);
  if (candidates.length === 0) return [];
  const verdict = or(...candidates.map((candidate) => candidate.index));
  const culprit =
    candidates.find((candidate) => candidate.index === true) ??
    candidates.find((candidate) => isUnknown(candidate.index)) ??
    candidates[0];
  const where = `${culprit.step.file}:${culprit.step.at.line}`;
  const merging = 'merge with `docker buildx imagetools create -t <list> <sources…>`, which accepts indexes';
  const fix = culprit.stepFix ? `in that step, ${culprit.stepFix}; or ${merging}` : merging;
  const tool = culprit.step.kind === 'build' ? culprit.step.tool : '`docker buildx imagetools create`';
  const related = { file: culprit.step.file, line: culprit.step.at.line, column: culprit.step.at.column };
  const findings = verdictFinding(meta, verdict, merge.file, source.at, {
    holds: () =>
      `\`docker manifest create\` merges \`${source.text}\`, which ${tool} at ${where} pushes ${culprit.shape}. ` +
      `\`docker manifest create\` only merges image manifests, so it will fail with "${source.text} is a manifest list". ` +
      `Fix: ${fix}.`,
    depends: (on) =>
      `\`docker manifest create\` merges \`${source.text}\`, which ${tool} at ${where} pushes; whether that is an index ` +
      `(which \`docker manifest create\` cannot merge) depends on ${listed(on)}, which the linter cannot resolve. ` +
      'Merging with `docker buildx imagetools create` works either way.',
  });
  return findings.map((finding) => ({ ...finding, related }));
}

export const manifestMergeOfIndex: Rule = { meta, checkRepository };
