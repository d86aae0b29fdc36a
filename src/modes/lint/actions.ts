// Builds in `uses:` steps: docker/build-push-action, docker/bake-action and this action, at any ref, also as
// `https://host/owner/repo@ref` (Gitea and Forgejo). What they pass to buildx depends on their version:
//   build-push-action v1            the old docker CLI build and push: no buildx, no attestations
//   build-push-action v2 to 3.2.x   no attestation inputs: buildx's defaults (provenance on since buildx 0.10)
//   build-push-action 3.3.0         adds the inputs, and passes provenance itself when it is not set
//   build-push-action 3.3.1 (= v3)  passes --provenance=false when it is not set
//   build-push-action v4 and later  provenance on unless disabled
//   bake-action v1, v2              no attestation inputs: buildx's defaults; v3 and later have the inputs
// A ref that is not a version (a commit, a branch) is taken as the latest release.
import { bakeOverride, buildOfBake } from './bake';
import { normalizeRef } from './image-ref';
import {
  AttestationRequest,
  attestationsOf,
  attestType,
  Build,
  Edit,
  platformsOf,
  Position,
  ProvenanceDefault,
  pushOf,
  pushSwitch,
} from './model';
import { and, not, Tri, unknown } from './tri';
import {
  Env,
  expandMatrix,
  inputBool,
  isResolved,
  literal,
  Matrix,
  splitOutside,
  Value,
  valueOf,
} from './value';

export interface ActionInput {
  value: Value;
  /** Where the input's key is. */
  at: Position;
  /** `key: value` as written, for messages. */
  text: string;
}

export interface UsesStep {
  file: string;
  uses: string;
  /** Where the `uses:` value is. */
  at: Position;
  inputs: ReadonlyMap<string, ActionInput>;
  env: Env;
  matrix: Matrix;
  /** The edit that adds `provenance: false` to the step's `with:`, when its layout allows one. */
  provenanceEdit?: Edit;
}

type ActionName =
  | 'docker/build-push-action'
  | 'docker/bake-action'
  | 'buildx-guard'
  | 'docker/setup-buildx-action'
  | 'docker/setup-docker-action';

interface ActionRef {
  name: ActionName;
  /** [major, minor, patch] of a version ref; undefined for a commit or a branch. */
  version?: [number, number | undefined, number | undefined];
}

export function actionRef(uses: string): ActionRef | undefined {
  const path = uses.trim().replace(/^https?:\/\/[^/]+\//i, '');
  const at = path.lastIndexOf('@');
  if (at < 0) return undefined;
  const [owner, repo, ...subpath] = path.slice(0, at).toLowerCase().split('/');
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(path.slice(at + 1));
  const version: ActionRef['version'] = match
    ? [
        Number(match[1]),
        match[2] === undefined ? undefined : Number(match[2]),
        match[3] === undefined ? undefined : Number(match[3]),
      ]
    : undefined;
  if (subpath.length > 0) return undefined;
  if (owner === 'docker' && repo === 'build-push-action')
    return { name: 'docker/build-push-action', version };
  if (owner === 'docker' && repo === 'bake-action') return { name: 'docker/bake-action', version };
  if (repo === 'buildx-guard') return { name: 'buildx-guard', version };
  if (owner === 'docker' && repo === 'setup-buildx-action')
    return { name: 'docker/setup-buildx-action', version };
  // Both start a daemon of their own choosing.
  if (
    (owner === 'docker' && repo === 'setup-docker-action') ||
    (owner === 'crazy-max' && repo === 'ghaction-setup-docker')
  )
    return { name: 'docker/setup-docker-action', version };
  return undefined;
}

interface ActionBehaviour {
  provenanceDefault: ProvenanceDefault;
  /** Whether the version has the `provenance`, `sbom` and `attests` inputs (older ones ignore them). */
  attestationInputs: boolean;
}

function buildPushAction(version: ActionRef['version']): ActionBehaviour | undefined {
  if (!version) return { provenanceDefault: 'buildx', attestationInputs: true };
  const [major, minor, patch] = version;
  if (major <= 1) return undefined;
  if (major === 2 || (major === 3 && minor !== undefined && minor < 3)) {
    return { provenanceDefault: 'buildx', attestationInputs: false };
  }
  if (major === 3) {
    return { provenanceDefault: minor === 3 && patch === 0 ? 'forced' : 'none', attestationInputs: true };
  }
  return { provenanceDefault: 'buildx', attestationInputs: true };
}

function bakeAction(version: ActionRef['version']): ActionBehaviour {
  return { provenanceDefault: 'buildx', attestationInputs: !version || version[0] >= 3 };
}

const NO_DEFAULT_ATTESTATIONS = 'BUILDX_NO_DEFAULT_ATTESTATIONS';

export function actionStep(step: UsesStep): Build | undefined {
  const ref = actionRef(step.uses);
  switch (ref?.name) {
    case 'docker/build-push-action': {
      const behaviour = buildPushAction(ref.version);
      return behaviour && imageBuild(step, behaviour);
    }
    case 'docker/bake-action':
      return bakeBuild(step, bakeAction(ref.version));
    case 'buildx-guard':
      return guardedBuild(step);
    default:
      return undefined;
  }
}

function imageBuild(step: UsesStep, behaviour: ActionBehaviour): Build {
  const pushed = pushOf(
    pushSwitch(step.inputs.get('push')?.value, inputBool),
    list(step, 'outputs', { ignoreComma: true }),
  );
  const requests = behaviour.attestationInputs
    ? [
        ...list(step, 'attests', { ignoreComma: true }).map((value) => listRequest(step, 'attests', value)),
        ...['provenance', 'sbom'].flatMap((type) => inputRequest(step, type)),
      ]
    : [];
  const { provenance, sbom } = attestationsOf(
    requests,
    behaviour.provenanceDefault,
    step.env.get(NO_DEFAULT_ATTESTATIONS),
  );
  const tags = [...list(step, 'tags'), ...(pushed.pushByDigest ? [] : pushed.names)];
  return {
    kind: 'build',
    file: step.file,
    at: step.at,
    tool: `\`${step.uses.trim()}\``,
    push: pushed.push,
    pushByDigest: pushed.pushByDigest,
    platforms: platformsOf(list(step, 'platforms'), step.matrix),
    provenance,
    sbom,
    tags: tags.flatMap((tag) => expandMatrix(tag, step.matrix).texts.map(normalizeRef)),
    disable: disableAdvice(step, behaviour, 'docker/build-push-action'),
    loads: pushSwitch(step.inputs.get('load')?.value, inputBool)
      ? list(step, 'tags').flatMap((tag) => expandMatrix(tag, step.matrix).texts.map(normalizeRef))
      : [],
    keepsAttestations: true,
    builder: step.inputs.get('builder')?.value ?? step.env.get('BUILDX_BUILDER'),
  };
}

function bakeBuild(step: UsesStep, behaviour: ActionBehaviour): Build {
  const targets = list(step, 'targets').map((value) => value.text);
  const overrides = list(step, 'set', { ignoreComma: true }).flatMap((value) => {
    const override = bakeOverride(value, targets);
    return override ? [{ ...override, source: value }] : [];
  });
  const overridden = (key: string) => overrides.filter((override) => override.key === key);
  const pushed = pushOf(
    pushSwitch(step.inputs.get('push')?.value, inputBool) ||
      overridden('push').some((override) => pushSwitch(override.value, inputBool)),
    overridden('output').map((override) => override.value),
  );
  // bake-action passes `set:` as --set, then --sbom and --provenance, which bake appends in that order.
  const requests = [
    ...overridden('attest').map((override) => ({
      ...listRequest(step, 'set', override.source),
      type: attestType(override.value),
      value: override.value,
    })),
    ...(behaviour.attestationInputs
      ? ['sbom', 'provenance'].flatMap((type) => inputRequest(step, type))
      : []),
  ];
  const attestations = attestationsOf(
    requests,
    behaviour.provenanceDefault,
    step.env.get(NO_DEFAULT_ATTESTATIONS),
  );
  return buildOfBake(
    {
      file: step.file,
      at: step.at,
      tool: `\`${step.uses.trim()}\``,
      push: pushed.push,
      pushByDigest: pushed.pushByDigest,
      sbom: attestations.sbom,
      disable: disableAdvice(step, behaviour, 'docker/bake-action'),
      builder: step.inputs.get('builder')?.value ?? step.env.get('BUILDX_BUILDER'),
    },
    overridden('platform').map((override) => override.value),
    step.matrix,
    attestations.provenance,
  );
}

/**
 * This action in build mode: build-push-action's inputs, with its own attestation policy on top (`auto` strips
 * attestations from single-platform builds, `strip` from all; it fails rather than push what the policy strips).
 */
function guardedBuild(step: UsesStep): Build | undefined {
  const mode = step.inputs.get('mode')?.value ?? literal('build');
  if (!isResolved(mode) || mode.text.trim().toLowerCase() !== 'build') return undefined;
  const build = imageBuild(step, { provenanceDefault: 'buildx', attestationInputs: true });
  const policyInput = step.inputs.get('attestation-policy');
  const policy = policyInput?.value ?? literal('auto');
  const stripped = strippedBy(policy, build.platforms.single);
  const advice = "set `attestation-policy: auto` in the step's `with:`";
  return {
    ...build,
    provenance: { ...build.provenance, on: and(build.provenance.on, not(stripped)) },
    sbom: { ...build.sbom, on: and(build.sbom.on, not(stripped)) },
    disable: { advice, edit: policyInput ? undefined : build.disable.edit },
  };
}

/** Whether this action's attestation-policy strips the build's attestations. */
function strippedBy(policy: Value, singlePlatform: Tri): Tri {
  if (!isResolved(policy)) return unknown(`\`${policy.text}\``);
  const choice = policy.text.trim().toLowerCase();
  if (choice === 'strip') return true;
  return choice === 'auto' ? singlePlatform : false;
}

function disableAdvice(step: UsesStep, behaviour: ActionBehaviour, name: ActionName): Build['disable'] {
  if (behaviour.attestationInputs) {
    return { advice: "add `provenance: false` to the step's `with:`", edit: step.provenanceEdit };
  }
  const ignored = step.inputs.has('provenance') ? ', so its `provenance:` input is ignored' : '';
  const alternative =
    name === 'docker/bake-action'
      ? 'or add `*.attest=type=provenance,disabled=true` to `set:`'
      : 'or upgrade to `docker/build-push-action@v6` and add `provenance: false` to `with:`';
  return {
    advice: `set \`${NO_DEFAULT_ATTESTATIONS}: 1\` in the step's \`env:\` (\`${step.uses.trim()}\` has no \`provenance\` input${ignored}), ${alternative}`,
  };
}

/** A list input as the actions read it: one item per line, and per comma unless `ignoreComma`. */
function list(step: UsesStep, name: string, options: { ignoreComma?: boolean } = {}): Value[] {
  const input = step.inputs.get(name);
  if (!input) return [];
  return input.value.text
    .split(/\r?\n/)
    .flatMap((line) => (options.ignoreComma ? [line] : splitOutside(line, ',')))
    .map((item) => item.trim())
    .filter((item) => item !== '' && !item.startsWith('#'))
    .map((item) => valueOf(item, input.value));
}

function inputRequest(step: UsesStep, type: string): AttestationRequest[] {
  const input = step.inputs.get(type);
  if (!input || input.value.text.trim() === '') return [];
  return [{ type, value: valueOf(input.value.text.trim(), input.value), at: input.at, text: input.text }];
}

/** One item of a list input that sets an attestation (`attests:`, or `*.attest=` in `set:`). */
function listRequest(step: UsesStep, name: string, item: Value): AttestationRequest {
  const input = step.inputs.get(name) as ActionInput;
  return { type: attestType(item), value: item, at: input.at, text: `${name}: ${item.text}` };
}
