import { Finding, RuleMeta } from '../finding';
import { BuildStep, indexReasons, ManifestMerge, MergeSource } from '../model';
import { isUnknown, or, Tri } from '../tri';
import { listed, Rule, verdictFinding } from './rule';

const meta: RuleMeta = {
  id: 'manifest-merge-of-index',
  defaultSeverity: 'error',
  summary: '`docker manifest create` merges an image that this repository pushes as an index; it will fail.',
  help:
    '`docker manifest create` (with or without `--amend`) only merges image manifests; a source pushed as an ' +
    'index (a default provenance attestation, or several platforms) makes it fail with "<image> is a manifest list".\n\n' +
    'Fix: disable attestations in the step that pushes the source (`--provenance=false --sbom=false`, or ' +
    '`provenance: false`), or merge with `docker buildx imagetools create -t <list> <sources…>`, which accepts indexes.',
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
      : 'as an OCI index with a default provenance attestation child';
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
      `\`docker manifest create\` will fail with "${source.text} is a manifest list": ${tool} at ${where} pushes it ` +
      `${culprit.shape}. Fix: ${fix}.`,
    depends: (on) =>
      `\`docker manifest create\` merges \`${source.text}\`, which ${tool} at ${where} pushes; whether that is an index ` +
      `it cannot merge depends on ${listed(on)}. \`docker buildx imagetools create\` merges either.`,
  });
  return findings.map((finding) => ({ ...finding, related }));
}

export const manifestMergeOfIndex: Rule = { meta, checkRepository };
