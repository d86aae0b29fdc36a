// What docker buildx bake builds comes from a bake file (HCL, JSON or compose) the linter does not read: the
// targets' platforms and attestations are unknown unless the command or the action overrides them for every
// target built (`--set *.platform=…`, `--provenance`, `set:`).
import { Attestation, Build, platformsOf, splitPair } from './model';
import { and, unknown } from './tri';
import { Matrix, Value } from './value';

/** `pattern.key=value`, when the pattern covers every target built (`*`, or the one target named). */
export function bakeOverride(value: Value, targets: string[]): { key: string; value: Value } | undefined {
  const [assignment, setting] = splitPair(value);
  const dot = assignment.text.lastIndexOf('.');
  if (dot < 0) return undefined;
  const pattern = assignment.text.slice(0, dot);
  const applies = pattern === '*' || (targets.length === 1 && pattern === targets[0]);
  return applies ? { key: assignment.text.slice(dot + 1), value: setting } : undefined;
}

/** What the step knows of a bake, however it was written: the command line or docker/bake-action. */
export type BakeStep = Omit<
  Build,
  'kind' | 'platforms' | 'provenance' | 'tags' | 'loads' | 'keepsAttestations'
>;

/**
 * The build a bake amounts to. Its platforms and provenance are as overridden, else as the bake file says; its
 * image names are in the bake file too, so it has no tags the linter can match.
 */
export function buildOfBake(
  step: BakeStep,
  platformOverrides: Value[],
  matrix: Matrix,
  provenance: Attestation,
): Build {
  return {
    ...step,
    kind: 'build',
    platforms:
      platformOverrides.length > 0
        ? platformsOf(platformOverrides, matrix)
        : { single: unknown("the bake file's `platforms`"), description: 'the platforms of the bake file' },
    provenance: provenance.requested
      ? provenance
      : { on: and(provenance.on, unknown("the bake file's `attest`")) },
    tags: [],
    loads: [],
    keepsAttestations: true,
  };
}
