// The `docker buildx build` argv for the action's inputs: build-push-action's flags, the policy's flags, the
// metadata and image ID files, and the context last. Pure: files are created by the caller.
import { BuildInputs } from './inputs';
import { AttestationRequest, parseAttest, parseGoBool, parseShorthand } from '../../core/policy/attestations';
import { PolicyPlan } from '../../core/policy/policy';
import { isSinglePlatform } from '../../core/policy/platforms';
import { parseOutput } from './outputs';
import {
  BUILDX_FEATURES,
  BuildxVersion,
  buildxAtLeast,
  describeBuildxVersion,
} from '../../core/policy/buildx-version';
import { InputError } from '../../core/errors';

/** One `--attest` value with what it asks for. */
export interface ResolvedAttest {
  request: AttestationRequest;
  attest: string;
}

/**
 * The attestations the inputs ask for, as build-push-action passes them: `provenance` and `sbom` become
 * `--attest type=…` and take precedence over the same type in `attests`, so no type is ever given twice.
 * `builderId` (the workflow run URL) is added to every enabled provenance attestation that names none, from
 * `provenance` or from `attests`, as build-push-action does.
 */
export function resolveAttestInputs(inputs: BuildInputs, builderId?: string): ResolvedAttest[] {
  const withBuilder = (attrs: string[]) =>
    builderId && !attrs.some((attr) => /^\s*builder-id=/.test(attr))
      ? [...attrs, `builder-id=${builderId}`]
      : attrs;
  const resolved: ResolvedAttest[] = [];
  if (inputs.provenance) {
    const request = parseShorthand('provenance', inputs.provenance, 'provenance');
    const attrs = parseGoBool(inputs.provenance) === undefined ? [inputs.provenance] : [];
    const attest = request.enabled
      ? ['type=provenance', ...withBuilder(attrs)].join(',')
      : 'type=provenance,disabled=true';
    resolved.push({ request, attest });
  }
  if (inputs.sbom) {
    const request = parseShorthand('sbom', inputs.sbom, 'sbom');
    const flag = parseGoBool(inputs.sbom);
    const attest = flag === undefined ? `type=sbom,${inputs.sbom}` : `type=sbom,disabled=${!flag}`;
    resolved.push({ request, attest });
  }
  for (const value of inputs.attests) {
    const request = parseAttest(value, 'attests');
    if (resolved.some((r) => r.request.type === request.type)) continue;
    const fields = normalizeBareBooleans(value).split(',');
    const attest = request.type === 'provenance' && request.enabled ? withBuilder(fields) : fields;
    resolved.push({ request, attest: attest.join(',') });
  }
  return resolved;
}

/** What `docker buildx inspect` says about the builder that can change the argv. */
export interface BuilderFacts {
  driver: string;
  /** Each node's BuildKit version as reported (`v0.12.5`, `v0.11.6-moby`, `v0.0.0+unknown`). */
  buildkit: string[];
}

/**
 * Whether build-push-action would add its default provenance, before asking the builder: no provenance asked
 * for (input or attests), default attestations not turned off in the environment, and no docker export
 * (`load`, or an output of type=docker).
 */
export function defaultProvenanceCandidate(
  inputs: BuildInputs,
  attests: readonly ResolvedAttest[],
  noDefaultAttestations: boolean,
): boolean {
  return (
    !attests.some((a) => a.request.type === 'provenance') &&
    !noDefaultAttestations &&
    !inputs.load &&
    !inputs.outputs.some((output) => parseOutput(output).type === 'docker')
  );
}

/**
 * build-push-action's BuildKit check for its default provenance (≥ 0.11 on every node). The docker driver's
 * version counts only with dockerd's `-moby` suffix: Debian's dockerd reports `v0.0.0+unknown`, and a
 * pre-release is below any release, as in semver ranges.
 */
export function builderSupportsDefaultProvenance(facts: BuilderFacts): boolean {
  return facts.buildkit.every((version) => {
    if (facts.driver === 'docker' && !version.endsWith('-moby')) return false;
    const match = /^v?(\d+)\.(\d+)\.(\d+)(\+\S*)?$/.exec(version.replace(/-moby$/, ''));
    if (!match) return false;
    const [major, minor] = [Number(match[1]), Number(match[2])];
    return major > 0 || minor >= 11;
  });
}

/**
 * build-push-action's default provenance: max for a public repository, buildx's own default (min, inline only)
 * for a private one, both with the builder-id.
 */
export function defaultProvenance(privateRepository: boolean, builderId?: string): ResolvedAttest {
  const mode = privateRepository ? 'mode=min,inline-only=true' : 'mode=max';
  const attest = ['type=provenance', mode, ...(builderId ? [`builder-id=${builderId}`] : [])].join(',');
  return { request: { type: 'provenance', enabled: true, source: 'provenance', value: '' }, attest };
}

/** Annotations that need an image index: `index:` and `index-descriptor:` (optionally with [platform]). */
export function indexAnnotations(annotations: readonly string[]): string[] {
  return annotations.filter((a) => /^index(-descriptor)?(\[[^\]]*\])?:/.test(a.trim()));
}

/**
 * A single-platform build whose attestations the policy strips is pushed as a plain manifest, which buildx
 * refuses to give index annotations ("index annotations not supported for single platform export"): say so
 * before building, naming the input, the policy and the ways out.
 */
export function checkIndexAnnotations(
  annotations: readonly string[],
  plan: PolicyPlan,
  platforms: readonly string[],
  names: { input: string; policy: string },
): void {
  const [first] = indexAnnotations(annotations);
  if (!first || !plan.strips || !isSinglePlatform(platforms)) return;
  throw new InputError(
    names.input,
    first,
    `An index annotation needs an image index, but ${names.policy} "${plan.policy}" strips attestations from ` +
      `this single-platform build, so the push is a plain image manifest and buildx would fail with "index ` +
      `annotations not supported for single platform export". Drop the index: prefix (annotate the manifest), ` +
      `or set ${names.policy} to keep.`,
  );
}

/** build-push-action turns a bare `true`/`false` field of an attest into `disabled=`, which buildx needs. */
function normalizeBareBooleans(attest: string): string {
  return attest
    .split(',')
    .map((field) => {
      const flag = parseGoBool(field.trim());
      return flag === undefined ? field : `disabled=${!flag}`;
    })
    .join(',');
}

export interface ArgvContext {
  buildx: BuildxVersion | undefined;
  plan: PolicyPlan;
  attests: ResolvedAttest[];
  metadataFile: string;
  /** Absent when the outputs cannot take one (see imageIdFileFor). */
  iidFile?: string;
  /** Paths of files holding each `secrets` value, in order, and the github-token, written by the caller. */
  secretPaths: string[];
  gitAuthTokenPath?: string;
  /** Host of the Git server, for the GIT_AUTH_TOKEN.<host> secret. */
  gitHost: string;
}

export interface AssembledArgv {
  argv: string[];
  /** Inputs this buildx cannot take, ignored as build-push-action does. */
  warnings: string[];
}

/** Whether build-push-action would send the github-token as GIT_AUTH_TOKEN for this build. */
export function sendsGitAuthToken(inputs: BuildInputs): boolean {
  const ownToken = inputs.secrets.some(
    (s) => s.id === 'GIT_AUTH_TOKEN' || s.id.startsWith('GIT_AUTH_TOKEN.'),
  );
  return inputs.githubToken !== '' && inputs.defaultGitContext && !ownToken;
}

export function assembleBuildArgv(inputs: BuildInputs, ctx: ArgvContext): AssembledArgv {
  const { buildx } = ctx;
  const warnings: string[] = [];
  const args: string[] = ['buildx', 'build'];
  const repeat = (flag: string, values: readonly string[]) => values.forEach((v) => args.push(flag, v));
  const single = (flag: string, value: string | boolean) => {
    if (value === true) args.push(flag);
    else if (value) args.push(flag, value);
  };
  const needs = (feature: keyof typeof BUILDX_FEATURES, input: string, present: boolean) => {
    if (!present || buildxAtLeast(buildx, BUILDX_FEATURES[feature])) return present;
    warnings.push(
      `${describeBuildxVersion(buildx)} is older than ${BUILDX_FEATURES[feature]}: the input ${input} is ignored.`,
    );
    return false;
  };

  repeat('--add-host', inputs.addHosts);
  repeat('--allow', inputs.allow);
  if (needs('annotations', 'annotations', inputs.annotations.length > 0))
    repeat('--annotation', inputs.annotations);
  repeat('--build-arg', inputs.buildArgs);
  if (needs('buildContexts', 'build-contexts', inputs.buildContexts.length > 0)) {
    repeat('--build-context', inputs.buildContexts);
  }
  repeat('--cache-from', inputs.cacheFrom);
  repeat('--cache-to', inputs.cacheTo);
  if (inputs.call && !buildxAtLeast(buildx, BUILDX_FEATURES.call)) {
    throw new InputError(
      'call',
      inputs.call,
      `It needs buildx ${BUILDX_FEATURES.call} or later; this runner has ${describeBuildxVersion(buildx)}.`,
    );
  }
  single('--call', inputs.call);
  single('--cgroup-parent', inputs.cgroupParent);
  single('--file', inputs.file);
  single('--iidfile', ctx.iidFile ?? '');
  repeat('--label', inputs.labels);
  repeat('--no-cache-filter', inputs.noCacheFilters);
  repeat('--output', inputs.outputs);
  if (inputs.platforms.length > 0) args.push('--platform', inputs.platforms.join(','));
  const attests = needs('attestations', 'provenance, sbom and attests', ctx.attests.length > 0)
    ? ctx.attests
    : [];
  repeat(
    '--attest',
    attests.map((a) => a.attest),
  );
  args.push(...ctx.plan.flags);
  repeat('--secret', secretSpecs(inputs, ctx));
  single('--shm-size', inputs.shmSize);
  repeat('--ssh', inputs.ssh);
  repeat('--tag', inputs.tags);
  single('--target', inputs.target);
  repeat('--ulimit', inputs.ulimit);
  single('--builder', inputs.builder);
  single('--load', inputs.load);
  args.push('--metadata-file', ctx.metadataFile);
  single('--network', inputs.network);
  single('--no-cache', inputs.noCache);
  single('--pull', inputs.pull);
  single('--push', inputs.push);
  args.push(inputs.context);
  return { argv: args, warnings };
}

/** `--secret` values in build-push-action's order: env secrets, value secrets, file secrets, the Git token. */
function secretSpecs(inputs: BuildInputs, ctx: ArgvContext): string[] {
  return [
    ...inputs.secretEnvs.map((s) => `id=${s.id},env=${s.value}`),
    ...inputs.secrets.map((s, i) => `id=${s.id},src=${ctx.secretPaths[i]}`),
    ...inputs.secretFiles.map((s) => `id=${s.id},src=${s.value}`),
    ...(ctx.gitAuthTokenPath ? [`id=GIT_AUTH_TOKEN.${ctx.gitHost},src=${ctx.gitAuthTokenPath}`] : []),
  ];
}

/**
 * Combinations of push, load and outputs that this buildx rejects. Before 0.13 a build has exactly one
 * exporter, so buildx stops with "push and load may not be set together" or "multiple outputs currently
 * unsupported"; better to say so before the build.
 */
export function checkExporters(inputs: BuildInputs, buildx: BuildxVersion | undefined): void {
  if (buildxAtLeast(buildx, BUILDX_FEATURES.multipleOutputs)) return;
  const version = describeBuildxVersion(buildx);
  const upgrade = `or use buildx ${BUILDX_FEATURES.multipleOutputs} or later.`;
  if (inputs.push && inputs.load) {
    throw new InputError(
      'load',
      'true',
      `${version} cannot push and load in one build. Drop load or push, ${upgrade}`,
    );
  }
  if (inputs.outputs.length > 1) {
    throw new InputError(
      'outputs',
      inputs.outputs.join('\n'),
      `${version} takes a single output. Keep one, ${upgrade}`,
    );
  }
  const [first] = inputs.outputs.map(parseOutput);
  if (!first) return;
  if (inputs.push && first.type !== 'image' && first.type !== 'registry') {
    throw new InputError(
      'outputs',
      inputs.outputs[0],
      `${version} cannot add push to a type=${first.type} output. Drop push, ${upgrade}`,
    );
  }
  if (inputs.load && first.type !== 'docker') {
    throw new InputError(
      'outputs',
      inputs.outputs[0],
      `${version} cannot add load to a type=${first.type} output. Drop load, ${upgrade}`,
    );
  }
}
