// The registry client: manifests and blobs over the distribution API, with auth, scheme choice and digests.
import { createHash } from 'node:crypto';
import { CheckError } from '../errors';
import { Log } from '../output/log';
import { AuthTarget, Authenticator, Authorization } from './auth';
import { parseChallenges } from './challenge';
import { CredentialStore } from './credentials';
import { header, HttpClient, HttpRequest, HttpResponse, isLoopback, TransportError } from './http';
import { isObject, parseJson } from './json';
import { Limits, limitsFromEnv } from './limits';
import { MANIFEST_ACCEPT } from './mediatype';
import { isDigest, TAG } from './reference';
import { nextPage } from './pagination';

/** Manifests larger than this are refused, as containerd and distribution do. */
const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;
/** Names asked for per page of tags/list and _catalog, and the most pages followed. */
const PAGE_SIZE = 1000;
const MAX_PAGES = 10_000;

export interface FetchedManifest {
  bytes: Buffer;
  /** The Content-Type the registry served, without parameters; '' when it sent none. */
  mediaType: string;
  /** The digest of the bytes (in the requested digest's algorithm, else sha256). */
  digest: string;
  /** The Docker-Content-Digest header, when sent. */
  headerDigest?: string;
}

/** What a HEAD said about a manifest or blob that exists. */
export interface HeadResult {
  digest?: string;
  size?: number;
  mediaType?: string;
}

export interface RegistryClientOptions {
  /** host[:port] entries that may be reached over plain http (loopback always may). */
  insecureRegistries: string[];
  log: Log;
  env?: NodeJS.ProcessEnv;
  limits?: Limits;
}

/** TLS errors that mean the server speaks plain http: the cue to fall back for loopback and insecure registries. */
const NOT_TLS = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
  'EPROTO',
]);

export class RegistryClient {
  private readonly http: HttpClient;
  private readonly auth: Authenticator;
  private readonly insecure: Set<string>;
  /** Per registry: the scheme that worked, once known. */
  private readonly schemes = new Map<string, 'https' | 'http'>();

  private readonly log: Log;

  constructor(options: RegistryClientOptions) {
    this.log = options.log;
    const env = options.env ?? process.env;
    const limits = options.limits ?? limitsFromEnv(env);
    this.http = new HttpClient(limits, options.log, env);
    this.auth = new Authenticator(
      this.http,
      new CredentialStore(options.log, limits.timeoutMs, env),
      options.log,
    );
    this.insecure = new Set(options.insecureRegistries.map((entry) => entry.toLowerCase()));
  }

  /** GET a manifest by tag or digest; undefined when the registry says it does not exist. */
  async getManifest(target: AuthTarget, reference: string): Promise<FetchedManifest | undefined> {
    checkReference(reference);
    const response = await this.request(target, 'GET', `manifests/${reference}`, MANIFEST_MAX_BYTES);
    if (response.status === 404) return undefined;
    expectOk(response, target, `manifest ${reference}`);
    const headerDigest = header(response.headers, 'docker-content-digest');
    return {
      bytes: response.body,
      mediaType: contentType(response),
      digest: digestOf(response.body, isDigest(reference) ? reference : 'sha256:'),
      ...(headerDigest ? { headerDigest } : {}),
    };
  }

  headManifest(target: AuthTarget, digest: string): Promise<HeadResult | undefined> {
    checkReference(digest, true);
    return this.head(target, `manifests/${digest}`);
  }

  headBlob(target: AuthTarget, digest: string): Promise<HeadResult | undefined> {
    checkReference(digest, true);
    return this.head(target, `blobs/${digest}`);
  }

  /** GET a small blob (an image config) as served; undefined when missing. Check it with digestOf. */
  async getBlob(target: AuthTarget, digest: string): Promise<Buffer | undefined> {
    checkReference(digest, true);
    const response = await this.request(target, 'GET', `blobs/${digest}`, MANIFEST_MAX_BYTES);
    if (response.status === 404) return undefined;
    expectOk(response, target, `blob ${digest}`);
    return response.body;
  }

  /**
   * Every tag of the repository, following `Link` pagination (each page bounded, and at most
   * MAX_PAGES of them). A name that could not be requested safely is an error: it could not be checked.
   */
  async listTags(target: AuthTarget, pageSize = PAGE_SIZE): Promise<string[]> {
    // Sorted: distribution pages its tags in storage order, which differs from page to page.
    const tags = (
      await this.paginate(target, `/v2/${target.repository}/tags/list?n=${pageSize}`, 'tags')
    ).sort();
    const bad = tags.find((tag) => !TAG.test(tag));
    if (bad !== undefined) {
      throw new CheckError(
        `${target.registry} lists a tag of ${target.repository} that is not a valid tag: ${JSON.stringify(bad.slice(0, 100))}.`,
      );
    }
    return tags;
  }

  /** Every repository the registry lists in `/v2/_catalog` (paginated); the caller checks each name. */
  catalog(target: AuthTarget, pageSize = PAGE_SIZE): Promise<string[]> {
    return this.paginate(target, `/v2/_catalog?n=${pageSize}`, 'repositories');
  }

  /** PUT manifest bytes under a tag or digest, exactly as given; returns the digest the registry reports. */
  async putManifest(
    target: AuthTarget,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<string> {
    checkReference(reference);
    const response = await this.request(target, 'PUT', `manifests/${reference}`, MANIFEST_MAX_BYTES, {
      body: bytes,
      headers: { 'content-type': mediaType },
    });
    expectOk(response, target, `put manifest ${reference}`);
    return header(response.headers, 'docker-content-digest') ?? digestOf(bytes, 'sha256:');
  }

  /**
   * DELETE a manifest by digest. A registry that does not allow deletes (405, or `UNSUPPORTED`) says so:
   * that is an answer, not a failure.
   */
  async deleteManifest(target: AuthTarget, digest: string): Promise<'deleted' | 'not-found' | 'unsupported'> {
    checkReference(digest, true);
    const response = await this.request(target, 'DELETE', `manifests/${digest}`, MANIFEST_MAX_BYTES);
    if (response.status === 404) return 'not-found';
    if (response.status === 405 || registryError(response).includes('UNSUPPORTED')) return 'unsupported';
    expectOk(response, target, `delete manifest ${digest}`);
    return 'deleted';
  }

  /**
   * Starts a blob upload; with `mountFrom` (a repository on the same registry) it asks for a
   * cross-repository mount first. Returns `mounted`, or the location to upload to.
   */
  async startUpload(
    target: AuthTarget,
    mountFrom?: { repository: string; digest: string },
  ): Promise<{ mounted: true } | { mounted: false; location: string }> {
    const query = mountFrom
      ? `?mount=${encodeURIComponent(checked(mountFrom.digest))}&from=${encodeURIComponent(mountFrom.repository)}`
      : '';
    const response = await this.request(target, 'POST', `blobs/uploads/${query}`, MANIFEST_MAX_BYTES);
    if (mountFrom && response.status === 201) return { mounted: true };
    expectStatus(response, 202, target, 'start blob upload');
    return { mounted: false, location: uploadLocation(response, target) };
  }

  /**
   * Uploads a blob in chunks (PATCH each, PUT with the digest last: the registry checks the digest), reading
   * each chunk when it is sent, so memory stays at one chunk whatever the blob's size.
   */
  async uploadBlob(
    target: AuthTarget,
    location: string,
    blob: { digest: string; size: number },
    readChunk: (offset: number, length: number) => Promise<Buffer>,
    chunkBytes: number,
  ): Promise<void> {
    checkReference(blob.digest, true);
    let current = location;
    for (let offset = 0; offset < blob.size; offset += chunkBytes) {
      const chunk = await readChunk(offset, Math.min(chunkBytes, blob.size - offset));
      const response = await this.request(target, 'PATCH', current, MANIFEST_MAX_BYTES, {
        body: chunk,
        headers: {
          'content-type': 'application/octet-stream',
          'content-range': `${offset}-${offset + chunk.length - 1}`,
        },
      });
      expectStatus(response, 202, target, `upload ${blob.digest}`);
      current = uploadLocation(response, target);
    }
    const done = new URL(current);
    done.searchParams.set('digest', blob.digest);
    const response = await this.request(target, 'PUT', done.href, MANIFEST_MAX_BYTES, {
      body: Buffer.alloc(0),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expectOk(response, target, `finish upload of ${blob.digest}`);
  }

  /** A byte range of a blob (`end` inclusive), for copying it a chunk at a time. */
  async getBlobRange(target: AuthTarget, digest: string, start: number, end: number): Promise<Buffer> {
    checkReference(digest, true);
    const length = end - start + 1;
    const response = await this.request(target, 'GET', `blobs/${digest}`, length, {
      headers: { range: `bytes=${start}-${end}` },
    });
    expectOk(response, target, `blob ${digest}`);
    // A registry that ignores Range sends the whole blob: fine only when that is the range asked for.
    const whole = response.status === 200 && start === 0;
    if ((response.status !== 206 && !whole) || response.body.length !== length) {
      throw new CheckError(
        `${target.registry} did not serve bytes ${start}-${end} of blob ${digest} of ${target.repository} (status ${response.status}, ${response.body.length} bytes).`,
      );
    }
    return response.body;
  }

  private async paginate(
    target: AuthTarget,
    first: string,
    field: 'tags' | 'repositories',
  ): Promise<string[]> {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let path: string | undefined = first; path !== undefined;) {
      if (seen.size === MAX_PAGES || seen.has(path)) {
        throw new CheckError(
          `${target.registry} paginates ${field} of ${target.repository || 'its catalog'} without end (${seen.size} pages).`,
        );
      }
      seen.add(path);
      const response = await this.request(target, 'GET', path, MANIFEST_MAX_BYTES);
      if (field === 'tags' && response.status === 404) {
        throw new CheckError(`${target.registry} has no repository ${target.repository} (status 404).`);
      }
      expectOk(response, target, field === 'tags' ? 'tags/list' : '_catalog');
      const data = parseJson(response.body.toString('utf8'));
      const list = isObject(data) ? data[field] : undefined;
      if (
        list !== null &&
        list !== undefined &&
        !(Array.isArray(list) && list.every((v) => typeof v === 'string'))
      ) {
        throw new CheckError(
          `${target.registry} answered ${field} of ${target.repository || 'its catalog'} with something that is not a list of names.`,
        );
      }
      names.push(...((list as string[] | null | undefined) ?? []));
      path = nextPage(header(response.headers, 'link'), response.url);
    }
    return names;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** Abandons every request in flight. */
  destroy(): Promise<void> {
    return this.http.destroy();
  }

  private async head(target: AuthTarget, path: string): Promise<HeadResult | undefined> {
    const response = await this.request(target, 'HEAD', path, 0);
    if (response.status === 404) return undefined;
    expectOk(response, target, path.replace('/', ' '));
    const digest = header(response.headers, 'docker-content-digest');
    const length = header(response.headers, 'content-length');
    const type = contentType(response);
    return {
      ...(digest ? { digest } : {}),
      ...(length !== undefined && /^\d+$/.test(length) ? { size: Number(length) } : {}),
      ...(type ? { mediaType: type } : {}),
    };
  }

  /**
   * One API request with auth: sent with the known header, and once more after answering a 401. `path` is
   * under the repository (`manifests/v1`), or absolute on the registry (`/v2/_catalog`, an upload location).
   */
  private async request(
    target: AuthTarget,
    method: HttpRequest['method'],
    path: string,
    maxBytes: number,
    extra: { body?: Buffer; headers?: Record<string, string> } = {},
  ) {
    return this.withScheme(target.registry, async (scheme) => {
      const base = new URL(`${scheme}://${target.registry}`);
      const url = /^https?:\/\//.test(path)
        ? new URL(path)
        : new URL(path.startsWith('/') ? path : `/v2/${target.repository}/${path}`, base);
      // An upload Location on another host (a storage front end) gets the request, never the credentials.
      const own = url.origin === base.origin;
      // The header just obtained is used for the request it was obtained for, even when it is about to expire
      // (a token server may grant 10 s or less): only later requests look for a fresh one.
      let answered: Authorization | undefined;
      for (let attempt = 1; ; attempt++) {
        const authorization = own ? (answered ?? this.auth.authorization(target)) : undefined;
        const response = await this.http.send({
          method,
          url,
          headers: {
            accept: MANIFEST_ACCEPT,
            ...extra.headers,
            ...(authorization ? { authorization: authorization.header } : {}),
          },
          ...(extra.body !== undefined ? { body: extra.body } : {}),
          credentials: authorization?.credentials ?? false,
          maxBytes,
        });
        // Only the registry itself may ask for credentials, never a host it redirected to.
        if (response.status !== 401 || response.url.origin !== base.origin) return response;
        if (attempt === 2) throw await this.refused(target, response);
        const challenges = parseChallenges(response.headers['www-authenticate']);
        if (challenges.length === 0) throw await this.refused(target, response);
        answered = await this.auth.answer(target, challenges);
      }
    });
  }

  /**
   * https unless the registry is loopback or listed as insecure: those try https first and fall back to
   * plain http when the server does not speak TLS (as docker and containerd do), so a TLS registry on
   * loopback still works. A certificate error is never a reason to fall back.
   */
  private async withScheme<T>(registry: string, send: (scheme: 'https' | 'http') => Promise<T>): Promise<T> {
    const known = this.schemes.get(registry);
    if (known) return send(known);
    if (!this.mayUsePlainHttp(registry)) return send('https');
    try {
      const result = await send('https');
      this.schemes.set(registry, 'https');
      return result;
    } catch (error) {
      if (!(error instanceof TransportError) || !NOT_TLS.has(error.code ?? '')) throw error;
      this.log.debug(`${registry} does not speak TLS (${error.code}); using plain http`);
      this.schemes.set(registry, 'http');
      return send('http');
    }
  }

  private mayUsePlainHttp(registry: string): boolean {
    const host = registry.replace(/:\d+$/, '');
    return (
      isLoopback(host) || this.insecure.has(registry.toLowerCase()) || this.insecure.has(host.toLowerCase())
    );
  }

  private async refused(target: AuthTarget, response: HttpResponse): Promise<CheckError> {
    const detail = registryError(response);
    if (await this.auth.hasCredentials(target)) {
      return new CheckError(
        `${target.registry} refused the credentials for ${target.repository} (status 401${detail}): check them with docker login ${target.domain}.`,
      );
    }
    return new CheckError(
      `${target.registry} needs credentials for ${target.repository} (status 401${detail}): run docker login ${target.domain}, or set DOCKER_CONFIG to a config with credentials.`,
    );
  }
}

/** The digest of `bytes` in the algorithm of `like` (a digest, or just its `algorithm:` prefix). */
export function digestOf(bytes: Buffer, like: string): string {
  const algorithm = like.slice(0, like.indexOf(':'));
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`;
}

/** Tags and digests go into URL paths: anything else (from a hostile index, say) must never get there. */
function checkReference(reference: string, digestOnly = false): void {
  if (isDigest(reference) || (!digestOnly && TAG.test(reference))) return;
  throw new CheckError(
    `Refusing to request ${JSON.stringify(reference.slice(0, 100))}: it is not a ${digestOnly ? 'digest' : 'tag or digest'}.`,
  );
}

function checked(digest: string): string {
  checkReference(digest, true);
  return digest;
}

/** Where the next upload request goes: the Location the registry answered (http or https only). */
function uploadLocation(response: HttpResponse, target: AuthTarget): string {
  const location = header(response.headers, 'location');
  const url = location === undefined ? undefined : URL.parse(location, response.url.href);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new CheckError(
      `${target.registry} answered an upload for ${target.repository} without a usable Location.`,
    );
  }
  return url.href;
}

/** Exactly `status`: the upload protocol gives each step its own success code. */
function expectStatus(response: HttpResponse, status: number, target: AuthTarget, what: string): void {
  expectOk(response, target, what);
  if (response.status !== status) {
    throw new CheckError(
      `${target.registry} answered status ${response.status} instead of ${status} for ${target.repository} ${what}.`,
    );
  }
}

function expectOk(response: HttpResponse, target: AuthTarget, what: string): void {
  if (response.status >= 200 && response.status < 300) return;
  const detail = registryError(response);
  if (response.status === 403) {
    throw new CheckError(`${target.registry} denied access to ${target.repository} (status 403${detail}).`);
  }
  const attempts = response.attempts > 1 ? ` (gave up after ${response.attempts} attempts)` : '';
  throw new CheckError(
    `${target.registry} answered status ${response.status} for ${target.repository} ${what}${detail}${attempts}.`,
  );
}

/** The registry's own error code and message, shortened, for a failure message. */
function registryError(response: HttpResponse): string {
  const data = parseJson(response.body.toString('utf8'));
  const first = isObject(data) && Array.isArray(data.errors) ? data.errors[0] : undefined;
  if (!isObject(first)) return '';
  const text = [first.code, first.message].filter((part) => typeof part === 'string').join(': ');
  return text ? `, ${text.slice(0, 200)}` : '';
}

function contentType(response: HttpResponse): string {
  return (header(response.headers, 'content-type') ?? '').split(';')[0].trim();
}
