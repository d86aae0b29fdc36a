// `docker buildx build`, as buildx (docker-container driver) does it, minus the actual build: the same flag
// rules and errors, the same attestation defaults, the same image shapes pushed to a real registry, and the
// same metadata and image ID files. Each rule cites the buildx behaviour it stands in for.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  attestationManifest,
  imageManifest,
  index,
  Index,
  Manifest,
  MT,
  parsePlatform,
  PREDICATE,
  PushClient,
} from '../oci';
import { builderPlatforms, buildFlagsOf, buildxVersion, versionAtLeast } from './buildx';
import { goParseBool, parseFlags } from './flags';

/** An error buildx reports as `ERROR: <message>` with exit code 1. */
export class BuildxError extends Error {}

export interface DoubleIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

interface Export {
  type: string;
  attrs: Record<string, string>;
}

interface Attest {
  type: string;
  enabled: boolean;
  /** buildx's own default provenance, not a flag the user gave. */
  isDefault?: boolean;
}

/** buildflags.ParseExports: CSV attributes, or a bare path for a local export (`-` is a tarball). */
function parseExport(spec: string): Export {
  if (!spec.includes('='))
    return spec === '-' ? { type: 'tar', attrs: { dest: '-' } } : { type: 'local', attrs: { dest: spec } };
  const attrs: Record<string, string> = {};
  for (const field of csvFields(spec)) {
    const equals = field.indexOf('=');
    if (equals < 0) throw new BuildxError(`invalid value ${field}`);
    attrs[field.slice(0, equals).trim().toLowerCase()] = field.slice(equals + 1);
  }
  const { type = '', ...rest } = attrs;
  if (type === '') throw new BuildxError('type is required for output');
  // type=registry is the image exporter with push=true.
  return type === 'registry' ? { type: 'image', attrs: { ...rest, push: 'true' } } : { type, attrs: rest };
}

function csvFields(value: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

const isTrue = (value: string | undefined) => value !== undefined && goParseBool(value) === true;

/** controller/build: --push and --load folded into the exports; before 0.13 there is exactly one exporter. */
function foldExports(outputs: Export[], push: boolean, load: boolean, version: string): Export[] {
  const exports = outputs.map((e) => ({ type: e.type, attrs: { ...e.attrs } }));
  if (!versionAtLeast(version, '0.13.0')) {
    if (push && load) throw new BuildxError('push and load may not be set together at the moment');
    if (push) {
      if (exports.length === 0) exports.push({ type: 'image', attrs: { push: 'true' } });
      else if (exports[0].type === 'image') exports[0].attrs.push = 'true';
      else throw new BuildxError(`push and "${exports[0].type}" output can't be used together`);
    }
    if (load) {
      if (exports.length === 0) exports.push({ type: 'docker', attrs: {} });
      else if (exports[0].type !== 'docker')
        throw new BuildxError(`load and "${exports[0].type}" output can't be used together`);
    }
    if (exports.length > 1) throw new BuildxError('multiple outputs currently unsupported');
    return exports;
  }
  if (push) {
    const images = exports.filter((e) => e.type === 'image');
    images.forEach((e) => (e.attrs.push = 'true'));
    if (images.length === 0) exports.push({ type: 'image', attrs: { push: 'true' } });
  }
  if (load && !exports.some((e) => e.type === 'docker' && e.attrs.dest === undefined)) {
    exports.push({ type: 'docker', attrs: {} });
  }
  return exports;
}

/** buildflags.CanonicalizeAttest: `--provenance=false` is `type=provenance,disabled=true` (0.10: enabled=). */
function canonicalizeAttest(type: string, value: string, version: string): string {
  const flag = goParseBool(value);
  if (flag === undefined) return `type=${type},${value}`;
  return versionAtLeast(version, '0.11.0')
    ? `type=${type},disabled=${!flag}`
    : `type=${type},enabled=${flag}`;
}

function parseAttest(value: string): Attest {
  let type = '';
  let enabled = true;
  for (const field of csvFields(value)) {
    const equals = field.indexOf('=');
    if (equals < 0) throw new BuildxError(`invalid value ${field}`);
    const key = field.slice(0, equals).trim().toLowerCase();
    const attr = field.slice(equals + 1);
    if (key === 'type') type = attr;
    else if (key === 'disabled' || key === 'enabled') {
      const flag = goParseBool(attr);
      if (flag === undefined)
        throw new BuildxError(`invalid value ${field}: strconv.ParseBool: parsing "${attr}": invalid syntax`);
      enabled = key === 'enabled' ? flag : !flag;
    }
  }
  if (type === '') throw new BuildxError('attestation type not specified');
  return { type, enabled };
}

/**
 * The attestations a build carries. buildx 0.10 to 0.24 refuses a type given twice; every release ≥0.10 adds
 * provenance (mode=min) unless asked not to, and from 0.11 BUILDX_NO_DEFAULT_ATTESTATIONS also opts out.
 */
function resolveAttests(flags: Map<string, string[]>, env: NodeJS.ProcessEnv, version: string): Attest[] {
  if (!versionAtLeast(version, '0.10.0')) return [];
  const raw = [...(flags.get('attest') ?? [])];
  const provenance = flags.get('provenance')?.at(-1);
  const sbom = flags.get('sbom')?.at(-1);
  if (provenance) raw.push(canonicalizeAttest('provenance', provenance, version));
  if (sbom) raw.push(canonicalizeAttest('sbom', sbom, version));
  const attests = new Map<string, Attest>();
  for (const attest of raw.map(parseAttest)) {
    if (attests.has(attest.type) && !versionAtLeast(version, '0.25.0')) {
      throw new BuildxError(`duplicate attestation field ${attest.type}`);
    }
    attests.set(attest.type, attest);
  }
  if (!attests.has('provenance')) {
    let optOut = false;
    const noDefault = env.BUILDX_NO_DEFAULT_ATTESTATIONS;
    if (versionAtLeast(version, '0.11.0') && noDefault !== undefined) {
      const flag = goParseBool(noDefault);
      if (flag === undefined) {
        throw new BuildxError(
          `invalid BUILDX_NO_DEFAULT_ATTESTATIONS: strconv.ParseBool: parsing "${noDefault}": invalid syntax`,
        );
      }
      optOut = flag;
    }
    if (!optOut) attests.set('provenance', { type: 'provenance', enabled: true, isDefault: true });
  }
  return [...attests.values()];
}

const NAME =
  /^(?:((?:[a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+(?::\d+)?|\[[0-9a-f:]+\](?::\d+)?)\/)?([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?$/;

interface ImageName {
  host: string;
  repository: string;
  tag: string;
}

/** The distribution reference grammar, as buildx checks `--tag` before building. */
function parseName(name: string): ImageName {
  const match = NAME.exec(name);
  if (!match) throw new BuildxError(`invalid tag "${name}": invalid reference format`);
  const [, first, path, tag] = match;
  const isHost =
    first !== undefined && (/[.:]/.test(first) || first === 'localhost' || first.startsWith('['));
  const host = isHost ? first : 'docker.io';
  const repository = isHost ? path : first ? `${first}/${path}` : path;
  return { host, repository, tag: tag ?? 'latest' };
}

const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

function splitPlatforms(values: string[], env: NodeJS.ProcessEnv): string[] {
  const fallback = builderPlatforms(env)[0];
  const requested =
    values.length > 0 ? values : env.DOCKER_DEFAULT_PLATFORM ? [env.DOCKER_DEFAULT_PLATFORM] : [];
  const platforms = requested
    .flatMap((v) => v.split(','))
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (p === 'local' ? fallback : p));
  for (const platform of platforms) {
    if (!/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/.test(platform)) {
      throw new BuildxError(`"${platform}": unknown operating system or architecture: invalid argument`);
    }
  }
  return platforms.length > 0 ? [...new Set(platforms)] : [fallback];
}

function isRemoteContext(context: string): boolean {
  return context === '-' || /^(https?:\/\/|git:\/\/|git@|github\.com\/)/.test(context);
}

/** Checks the context and Dockerfile as buildx does when it loads its inputs; the Dockerfile's name and path. */
function checkInputs(
  context: string,
  file: string | undefined,
  cwd: string,
): { name: string; path?: string } {
  const name = file ?? 'Dockerfile';
  if (isRemoteContext(context) || file === '-') return { name };
  const dir = resolve(cwd, context);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new BuildxError(`unable to prepare context: path "${context}" not found`);
  }
  const path = file ? resolve(cwd, file) : join(dir, 'Dockerfile');
  if (!existsSync(path)) {
    throw new BuildxError(
      `failed to solve: failed to read dockerfile: open ${name}: no such file or directory`,
    );
  }
  return { name, path };
}

const INSTRUCTIONS = new Set(
  'ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL MAINTAINER ONBUILD RUN SHELL STOPSIGNAL USER VOLUME WORKDIR'.split(
    ' ',
  ),
);

/** BuildKit's first check of a Dockerfile: every instruction is one it knows (continuations and comments aside). */
function checkDockerfile(text: string): void {
  const lines = text.split(/\r?\n/);
  let continued = false;
  let heredoc: string | undefined;
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (heredoc !== undefined) {
      if (trimmed === heredoc) heredoc = undefined;
      return;
    }
    const wasContinued = continued;
    continued = trimmed.endsWith('\\');
    heredoc = /<<-?(["']?)(\w+)\1/.exec(trimmed)?.[2];
    if (wasContinued || trimmed === '' || trimmed.startsWith('#')) return;
    const word = trimmed.split(/\s+/)[0];
    if (!INSTRUCTIONS.has(word.toUpperCase())) {
      throw new BuildxError(
        `failed to solve: dockerfile parse error on line ${index + 1}: unknown instruction: ${word}`,
      );
    }
  });
}

/** What the build produces: the image per platform, with attestation children when attestations are on. */
function produce(
  platforms: string[],
  attests: Attest[],
  oci: boolean,
  env: NodeJS.ProcessEnv,
): Manifest | Index {
  const predicates = attests
    .filter((a) => a.enabled && (a.type === 'provenance' || a.type === 'sbom'))
    .map((a) => (a.type === 'sbom' ? PREDICATE.sbom : PREDICATE.provenance));
  const images = platforms.map((platform) =>
    imageManifest(platform, predicates.length > 0 || oci ? 'oci' : 'docker'),
  );
  if (images.length === 1 && predicates.length === 0) return images[0];
  const form = env.BXG_ATTESTATION_FORM === 'artifact' ? 'artifact' : 'annotation';
  const children = [
    ...images,
    ...(predicates.length > 0
      ? images.map((image) => attestationManifest(image.descriptor, form, predicates))
      : []),
  ];
  return index(children, predicates.length > 0 || oci ? MT.ociIndex : MT.dockerList);
}

export async function buildxBuild(args: string[], io: DoubleIO): Promise<number> {
  const { env } = io;
  const version = buildxVersion(env);
  const { values, positionals } = parseFlags(args, buildFlagsOf(version));
  const last = (name: string) => values.get(name)?.at(-1);
  if (positionals.length !== 1) {
    throw new BuildxError(
      `"docker buildx build" requires exactly 1 argument.\nSee 'docker buildx build --help'.\n\nUsage:  docker buildx build [OPTIONS] PATH | URL | -\n\nStart a build`,
    );
  }
  const iidfile = last('iidfile');
  if (iidfile) rmSync(resolve(io.cwd, iidfile), { force: true });

  const exports = foldExports(
    (values.get('output') ?? []).map(parseExport),
    isTrue(last('push')),
    isTrue(last('load')),
    version,
  );
  if (iidfile && exports.some((e) => e.type === 'local' || e.type === 'tar')) {
    throw new BuildxError('local and tar exporters are incompatible with image ID file');
  }
  const attests = resolveAttests(values, env, version);
  const explicitAttests = attests.filter((a) => a.enabled && !a.isDefault);

  const tags = values.get('tag') ?? [];
  tags.forEach(parseName);
  for (const e of exports) {
    if (tags.length > 0 && ['image', 'oci', 'docker'].includes(e.type)) e.attrs.name = tags.join(',');
    if (e.type === 'image' && !e.attrs.name && isTrue(e.attrs.push))
      throw new BuildxError('tag is needed when pushing to registry');
  }
  const platforms = splitPlatforms(values.get('platform') ?? [], env);
  const loads = exports.some((e) => e.type === 'docker' && e.attrs.dest === undefined);
  if (loads && (platforms.length > 1 || explicitAttests.length > 0)) {
    throw new BuildxError('docker exporter does not currently support exporting manifest lists');
  }

  const builder = last('builder') || env.BUILDX_BUILDER || 'builder';
  const dockerfile = checkInputs(positionals[0], last('file'), io.cwd);
  io.stderr(`#0 building with "${builder}" instance using docker-container driver\n\n`);
  io.stderr(
    `#1 [internal] load build definition from ${dockerfile.name}\n#1 transferring dockerfile: 98B done\n#1 DONE 0.0s\n\n`,
  );
  if (dockerfile.path) checkDockerfile(readFileSync(dockerfile.path, 'utf8'));
  if (env.BXG_BUILD_FAIL) {
    io.stderr(`#2 [1/2] RUN make\n#2 ERROR: ${env.BXG_BUILD_FAIL}\n\n`);
    throw new BuildxError(env.BXG_BUILD_FAIL);
  }
  if (exports.length === 0) {
    io.stderr(
      'WARNING: No output specified with docker-container driver. Build result will only remain in the build cache. ' +
        'To push result image into registry use --push or to load image into docker use --load\n',
    );
  }

  const imageExports = exports.filter((e) => ['image', 'oci', 'docker'].includes(e.type));
  // Loading into the engine keeps a plain image: buildx drops attestations the docker exporter cannot take.
  const carried = imageExports.some((e) => e.type !== 'docker') ? attests : [];
  const oci = imageExports.some((e) => e.type === 'oci' || isTrue(e.attrs['oci-mediatypes']));
  const top = imageExports.length > 0 ? produce(platforms, carried, oci, env) : undefined;
  if (top) await exportImage(top, imageExports, io);
  for (const e of exports.filter((x) => x.type === 'local' && x.attrs.dest && x.attrs.dest !== '-')) {
    mkdirSync(resolve(io.cwd, e.attrs.dest), { recursive: true });
  }

  const configDigest =
    top && !('children' in top)
      ? configOf(top)
      : top && platforms.length === 1
        ? configOf((top as Index).children[0])
        : undefined;
  const metadataFile = last('metadata-file');
  if (metadataFile) {
    const metadata: Record<string, unknown> = {
      'buildx.build.ref': `${builder}/${builder}0/${randomBytes(13).toString('hex')}`,
    };
    if (top) {
      if (configDigest) metadata['containerimage.config.digest'] = configDigest;
      // Like BuildKit, the descriptor of a plain manifest names its platform; an index's does not.
      metadata['containerimage.descriptor'] = {
        mediaType: top.descriptor.mediaType,
        digest: top.descriptor.digest,
        size: top.descriptor.size,
        ...('children' in top ? {} : { platform: parsePlatform(platforms[0]) }),
      };
      metadata['containerimage.digest'] = top.descriptor.digest;
      if (tags.length > 0 || imageExports.some((e) => e.attrs.name)) {
        metadata['image.name'] = [
          ...new Set(imageExports.flatMap((e) => (e.attrs.name ?? '').split(',')).filter(Boolean)),
        ].join(',');
      }
    }
    writeFileSync(resolve(io.cwd, metadataFile), JSON.stringify(metadata, null, 2));
  }
  const imageId = configDigest ?? top?.descriptor.digest ?? '';
  if (iidfile) writeFileSync(resolve(io.cwd, iidfile), imageId);
  if (isTrue(last('quiet'))) io.stdout(`${imageId}\n`);
  return 0;
}

function configOf(manifest: Manifest): string {
  return (JSON.parse(manifest.bytes.toString()) as { config: { digest: string } }).config.digest;
}

/** Pushes to every registry named by a pushing export, grouped by repository, over plain http to loopback. */
async function exportImage(top: Manifest | Index, exports: Export[], io: DoubleIO): Promise<void> {
  const kind = 'children' in top ? 'manifest list' : 'manifest';
  io.stderr(
    `#3 exporting to image\n#3 exporting layers done\n#3 exporting ${kind} ${top.descriptor.digest} done\n`,
  );
  for (const e of exports) {
    if (e.type === 'docker') io.stderr(`#3 importing to docker\n`);
    if (e.type !== 'image' || !isTrue(e.attrs.push)) continue;
    const byDigest = isTrue(e.attrs['push-by-digest']);
    const repositories = new Map<string, { host: string; repository: string; tags: string[] }>();
    for (const name of (e.attrs.name ?? '').split(',').filter(Boolean)) {
      const parsed = parseName(name);
      if (!LOOPBACK_HOST.test(parsed.host)) {
        throw new BuildxError(
          `failed to push ${name}: the docker test double pushes only to registries on loopback`,
        );
      }
      const key = `${parsed.host}/${parsed.repository}`;
      const entry = repositories.get(key) ?? { host: parsed.host, repository: parsed.repository, tags: [] };
      if (!byDigest) entry.tags.push(parsed.tag);
      repositories.set(key, entry);
    }
    for (const { host, repository, tags } of repositories.values()) {
      io.stderr(
        `#3 pushing layers done\n#3 pushing manifest for ${host}/${repository}@${top.descriptor.digest}\n`,
      );
      try {
        await new PushClient(`http://${host}`).push(repository, tags, top);
      } catch (error) {
        throw new BuildxError(`failed to push ${host}/${repository}: ${(error as Error).message}`);
      }
    }
  }
  io.stderr('#3 DONE 0.1s\n');
}
