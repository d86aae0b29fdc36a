// Image references by distribution's grammar (github.com/distribution/reference), checked before any request.
import { InputError } from '../errors';

/** Docker Hub as people write it, and where its API lives. */
export const DOCKER_HUB = 'docker.io';
export const DOCKER_HUB_API = 'registry-1.docker.io';
/** The key Docker Hub credentials are stored under in a docker config. */
export const DOCKER_HUB_CONFIG_KEY = 'https://index.docker.io/v1/';

export interface Reference {
  /** As written. */
  raw: string;
  /** host[:port] after normalisation: `docker.io` for Docker Hub (also when written index.docker.io or omitted). */
  domain: string;
  /** host[:port] of the API: `registry-1.docker.io` for Docker Hub, otherwise the domain. */
  registry: string;
  /** The repository path, with `library/` for single-name Docker Hub images. */
  repository: string;
  tag?: string;
  digest?: string;
}

// The grammar's pieces, as distribution's regexp.go defines them.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = new RegExp(`^${host}(?::[0-9]+)?$`);
const REPOSITORY = new RegExp(`^${pathComponent}(?:/${pathComponent})*$`);
export const TAG = /^[\w][\w.-]{0,127}$/;
const ANY_DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** The algorithms a registry may use and this tool can hash, each with the exact shape of its hex part. */
const DIGEST_HEX: Record<string, RegExp> = {
  sha256: /^[a-f0-9]{64}$/,
  sha384: /^[a-f0-9]{96}$/,
  sha512: /^[a-f0-9]{128}$/,
};
const NAME_MAX = 255;

const FORMAT_HINT = 'Use [registry[:port]/]repository[:tag][@sha256:<64 hex>], e.g. ghcr.io/owner/app:v1.';
const DIGEST_HINT = 'Use sha256: followed by 64 lowercase hex characters.';

/** True for a digest this tool can verify (sha256, sha384 or sha512 with lowercase hex of the right length). */
export function isDigest(value: string): boolean {
  const colon = value.indexOf(':');
  const hex = Object.hasOwn(DIGEST_HEX, value.slice(0, colon))
    ? DIGEST_HEX[value.slice(0, colon)]
    : undefined;
  return colon > 0 && hex !== undefined && hex.test(value.slice(colon + 1));
}

/** What is wrong with a digest, as a fix; undefined when it is fine. */
function digestFix(value: string): string | undefined {
  if (isDigest(value)) return undefined;
  return ANY_DIGEST.test(value)
    ? `Only sha256, sha384 and sha512 digests can be verified. ${DIGEST_HINT}`
    : DIGEST_HINT;
}

/** Parses an image reference; every error names `input` and says how to write it. */
export function parseReference(raw: string, input = 'image reference'): Reference {
  const text = raw.trim();
  const fail = (fix: string): never => {
    throw new InputError(input, text, fix);
  };
  if (text === '') fail(FORMAT_HINT);
  if (/\s/.test(text)) fail(`A reference has no spaces. ${FORMAT_HINT}`);

  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  const badDigest = digest === undefined ? undefined : digestFix(digest);
  if (badDigest) fail(badDigest);
  const named = at >= 0 ? text.slice(0, at) : text;
  const colon = named.lastIndexOf(':');
  const hasTag = colon > named.lastIndexOf('/');
  const tag = hasTag ? named.slice(colon + 1) : undefined;
  const name = hasTag ? named.slice(0, colon) : named;
  if (tag !== undefined && !TAG.test(tag)) {
    fail('A tag is up to 128 letters, digits, _, . and -, and does not start with . or -.');
  }
  if (name.length > NAME_MAX) fail(`The name is longer than ${NAME_MAX} characters.`);

  const { domain, path } = splitDomain(name);
  if (!DOMAIN.test(domain)) fail(`"${domain}" is not a valid registry host. ${FORMAT_HINT}`);
  if (path !== path.toLowerCase()) fail('Repository names must be lowercase.');
  if (!REPOSITORY.test(path)) {
    fail(`"${path}" is not a valid repository: use lowercase letters, digits and single . _ - between them.`);
  }
  if (/^[a-f0-9]{64}$/.test(path)) fail('A 64-character hex string is an image ID, not a repository.');
  const hub = domain === DOCKER_HUB;
  return {
    raw: text,
    domain,
    registry: hub ? DOCKER_HUB_API : domain,
    repository: hub && !path.includes('/') ? `library/${path}` : path,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/**
 * distribution's splitDockerDomain: the first path component is a registry only if it looks like a host
 * (has a dot or a port, is localhost, or has uppercase letters, which repositories cannot have).
 */
function splitDomain(name: string): { domain: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const looksLikeHost =
    slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  if (!looksLikeHost) return { domain: DOCKER_HUB, path: name };
  const domain = first === 'index.docker.io' ? DOCKER_HUB : first;
  return { domain, path: name.slice(slash + 1) };
}

/** What to ask the registry for: the digest when there is one (it wins over a tag), else the tag, else latest. */
export function manifestReference(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** The reference in full, normalised form, for messages: docker.io/library/alpine:latest. */
export function formatReference(ref: Reference): string {
  const tag = ref.tag ?? (ref.digest ? '' : 'latest');
  return `${ref.domain}/${ref.repository}${tag ? `:${tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
