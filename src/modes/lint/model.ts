// The build model: what each container build, index copy and manifest merge found in a workflow will do, worked
// out from its flags or inputs the way buildx and the actions work them out. Rules read only this model.
import { and, not, or, Tri, unknown } from './tri';
import { dependsOn, expandMatrix, goBool, isResolved, Matrix, splitOutside, Value, valueOf } from './value';

/** A 1-based line and column in a file. */
export interface Position {
  line: number;
  column: number;
}

/** Text to insert at a file offset (`--fix`). */
export interface Edit {
  offset: number;
  insert: string;
}

export interface Attestation {
  /** Whether buildx attaches this attestation to the image. */
  on: Tri;
  /** Where the user asked for it, when they did; undefined when it is a default. */
  requested?: { at: Position; text: string };
}

export interface Platforms {
  single: Tri;
  /** For messages: "linux/amd64", "the builder's default platform". */
  description: string;
}

/** `docker buildx build`, `docker buildx bake` or an action that runs them. */
export interface Build {
  kind: 'build';
  file: string;
  at: Position;
  /** How the step builds, for messages: "`docker buildx build`", "`docker/build-push-action@v6`". */
  tool: string;
  push: Tri;
  /** Pushed by digest only (`push-by-digest=true`), to be merged later: the documented distribute pattern. */
  pushByDigest: boolean;
  platforms: Platforms;
  provenance: Attestation;
  sbom: Attestation;
  /** The image references pushed, normalised, with each matrix combination spelled out. */
  tags: string[];
  /** How to turn attestations off in this very step: the advice for messages, and the edit for `--fix`. */
  disable: { advice: string; edit?: Edit };
  /** The references the build stores in the runner's daemon (`docker build -t`, `--load`), normalised. */
  loads: string[];
  /**
   * Whether the attestations BuildKit makes reach the registry: always through a `docker-container` builder;
   * through the `docker` driver and `docker push`, only when the daemon has the containerd image store.
   */
  keepsAttestations: Tri;
  /** Whether the daemon's image store decides that (the `docker` driver, `docker push`), for messages. */
  storeDecides?: boolean;
  /** The builder named by `--builder`, the `builder:` input or `BUILDX_BUILDER`, when one is. */
  builder?: Value;
}

/** `docker buildx imagetools create`: always pushes an index. */
export interface IndexCopy {
  kind: 'index-copy';
  file: string;
  at: Position;
  tags: string[];
}

/** `docker manifest create [--amend]`: merges image manifests into a list; it cannot take an index. */
export interface ManifestMerge {
  kind: 'manifest-merge';
  file: string;
  at: Position;
  sources: MergeSource[];
}

export interface MergeSource {
  /** As written. */
  text: string;
  /** Normalised, one per matrix combination. */
  refs: string[];
  at: Position;
}

export type BuildStep = Build | IndexCopy | ManifestMerge;

/** What a command does to the images in the runner's daemon, followed through a job by extract.ts. */
export type DaemonOp =
  /** `docker tag SOURCE TARGET`. */
  | { kind: 'tag'; source: string[]; target: string[] }
  /** `docker push REF`; with `--all-tags`, every tag of the repository `REF`. */
  | { kind: 'push'; refs: string[]; allTags: boolean; at: Position; text: string }
  /** `docker pull`, `docker load`, `docker import`: the daemon now holds an image the job did not build. */
  | { kind: 'forget'; refs: string[] | 'all' }
  /** `docker buildx create --use`, `docker buildx use`: later builds run on another builder. */
  | { kind: 'builder'; container: Tri };

/** An attestation the user set, by flag or input, in the order buildx reads them (the last one of a type wins). */
export interface AttestationRequest {
  /** `provenance`, `sbom`, another type, or undefined when the type is in an expression. */
  type: string | undefined;
  value: Value;
  at: Position;
  text: string;
}

/** Who adds provenance when the user does not ask: the versions of the actions differ. */
export type ProvenanceDefault =
  /** buildx ≥0.10 adds min provenance unless BUILDX_NO_DEFAULT_ATTESTATIONS is true. */
  | 'buildx'
  /** The tool passes `--provenance` itself, whatever the environment says. */
  | 'forced'
  /** The tool passes `--provenance=false` (build-push-action 3.3.1), or it predates attestations. */
  | 'none';

/**
 * The provenance and SBOM attestations a build gets: the user's requests (as `--attest`, `--provenance`,
 * `--sbom`, or the inputs of that name), else the default. A request whose type is an expression could be
 * either, so both become unknown unless a later request settles them.
 */
export function attestationsOf(
  requests: AttestationRequest[],
  provenanceDefault: ProvenanceDefault,
  noDefaultAttestations: Value | undefined,
): { provenance: Attestation; sbom: Attestation } {
  const requested = new Map<string, Attestation>();
  for (const request of requests) {
    const attestation = {
      on: requestEnabled(request.value),
      requested: { at: request.at, text: request.text },
    };
    if (request.type === undefined) {
      const on = dependsOn(request.value);
      requested.set('provenance', { ...attestation, on });
      requested.set('sbom', { ...attestation, on });
    } else {
      requested.set(request.type, attestation);
    }
  }
  return {
    provenance: requested.get('provenance') ?? {
      on: defaultProvenance(provenanceDefault, noDefaultAttestations),
    },
    sbom: requested.get('sbom') ?? { on: false },
  };
}

/** `false`, `0` or `disabled=true` turn an attestation off; `true`, `mode=max` and other attributes turn it on. */
function requestEnabled(value: Value): Tri {
  const fields = splitOutside(value.text, ',').map((field) => valueOf(field.trim(), value));
  for (const field of fields) {
    const [key, setting] = splitPair(field);
    if (key.text !== 'disabled') continue;
    if (!isResolved(setting)) return dependsOn(setting);
    return !(goBool(setting.text) ?? false);
  }
  if (fields.length === 1 && !fields[0].text.includes('=')) {
    if (!isResolved(fields[0])) return dependsOn(fields[0]);
    const enabled = goBool(fields[0].text);
    if (enabled !== undefined) return enabled;
  }
  return true;
}

function defaultProvenance(by: ProvenanceDefault, noDefaultAttestations: Value | undefined): Tri {
  if (by !== 'buildx') return by === 'forced';
  if (noDefaultAttestations === undefined) return true;
  if (!isResolved(noDefaultAttestations)) return dependsOn(noDefaultAttestations);
  return !(goBool(noDefaultAttestations.text.trim()) ?? false);
}

/** The type of an `--attest` value (`type=sbom,…`); undefined when it is in an expression. */
export function attestType(value: Value): string | undefined {
  const type = splitOutside(value.text, ',')
    .map((field) => splitPair(valueOf(field.trim(), value)))
    .find(([key]) => key.text === 'type')?.[1];
  return type && isResolved(type) ? type.text.trim() : undefined;
}

/**
 * A push switch (`--push`, `push:`). An expression there decides *whether* the step pushes, not *what* it
 * pushes, so it counts as on: the rules judge what a push would produce.
 */
export function pushSwitch(value: Value | undefined, parse: (text: string) => boolean | undefined): boolean {
  if (!value) return false;
  return isResolved(value) ? parse(value.text.trim()) === true : true;
}

/** `key=value` split at the first `=`; the value is empty when there is none. */
export function splitPair(field: Value): [Value, Value] {
  const equals = field.text.indexOf('=');
  if (equals < 0) return [field, valueOf('', field)];
  return [
    valueOf(field.text.slice(0, equals).trim().toLowerCase(), field),
    valueOf(field.text.slice(equals + 1), field),
  ];
}

export interface OutputEffect {
  push: Tri;
  pushByDigest: boolean;
  /** `name=` of an image output: the references it pushes. */
  names: Value[];
}

/**
 * What one `--output` (or `outputs:` line) does: `type=registry` and `type=image,push=true` push; a bare path
 * is a local directory. An output whose type is in an expression may or may not push.
 */
export function outputEffect(output: Value): OutputEffect {
  const fields = splitOutside(output.text, ',').map((field) => valueOf(field.trim(), output));
  const none: OutputEffect = { push: false, pushByDigest: false, names: [] };
  // A lone path is a local directory (buildx rejects any other value without a type).
  if (fields.length === 1 && !fields[0].text.startsWith('type=')) {
    return isResolved(fields[0]) ? none : { ...none, push: dependsOn(output) };
  }
  const attributes = new Map(
    fields.map((field) => splitPair(field)).map(([key, value]) => [key.text, value]),
  );
  const type = attributes.get('type');
  if (!type) return none;
  if (!isResolved(type)) return { ...none, push: dependsOn(type) };
  const pushAttribute = attributes.get('push');
  const push =
    type.text === 'registry' ||
    (type.text === 'image' &&
      pushAttribute !== undefined &&
      (isResolved(pushAttribute) ? goBool(pushAttribute.text) === true : dependsOn(pushAttribute)));
  if (push === false) return none;
  const byDigest = attributes.get('push-by-digest');
  const name = attributes.get('name');
  return {
    push,
    pushByDigest: byDigest !== undefined && isResolved(byDigest) && goBool(byDigest.text) === true,
    names: name ? splitOutside(name.text, ',').map((part) => valueOf(part.trim(), name)) : [],
  };
}

/** Whether a list of outputs pushes, and how. */
export function pushOf(
  pushFlag: Tri,
  outputs: Value[],
): { push: Tri; pushByDigest: boolean; names: Value[] } {
  const effects = outputs.map(outputEffect);
  return {
    push: or(pushFlag, ...effects.map((effect) => effect.push)),
    pushByDigest: effects.some((effect) => effect.pushByDigest),
    names: effects.flatMap((effect) => effect.names),
  };
}

/**
 * How many platforms a build targets. Each value may hold several, comma-separated; none means the builder's
 * one default platform. `${{ matrix.X }}` is expanded over the job's literal matrix: a build whose every
 * combination targets one platform is single-platform.
 */
export function platformsOf(values: Value[], matrix: Matrix): Platforms {
  if (values.length === 0) return { single: true, description: DEFAULT_PLATFORM };
  const joined: Value = {
    text: values.map((value) => value.text).join(','),
    unresolved: values.flatMap((value) => value.unresolved),
  };
  const { texts, unresolved } = expandMatrix(joined, matrix);
  const verdicts = texts.map((text) => {
    const platforms = new Set(
      splitOutside(text, ',')
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    );
    const known = [...platforms].filter(
      (platform) => !unresolved.some((expression) => platform.includes(expression)),
    );
    if (known.length > 1) return false;
    return known.length === platforms.size ? true : dependsOn({ text, unresolved });
  });
  const single = verdicts.every((verdict) => verdict === true)
    ? true
    : verdicts.every((verdict) => verdict === false)
      ? false
      : unknown(...joined.unresolved.map((expression) => `\`${expression}\``));
  const described = splitOutside(joined.text, ',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => (joined.unresolved.some((expression) => part.includes(expression)) ? `\`${part}\`` : part))
    .join(', ');
  return { single, description: texts.length > 1 ? `${described}: ${texts.join(', ')}` : described };
}

export const DEFAULT_PLATFORM = "the builder's default platform";

/** Whether a pushed build comes out as an index, and why. */
export function indexReasons(build: Build): { multiPlatform: Tri; attestations: Tri; index: Tri } {
  const multiPlatform = not(build.platforms.single);
  const attestations = and(build.keepsAttestations, or(build.provenance.on, build.sbom.on));
  return {
    multiPlatform,
    attestations,
    index: and(build.push, !build.pushByDigest, or(multiPlatform, attestations)),
  };
}
