// The registry client: manifests and blobs over the distribution API, with auth, scheme choice and digests.
import { createHash } from 'node:crypto';
import { CheckError } from '../errors';
import { Log } from '../output/log';
import { AuthTarget, Authenticator, Authorization } from './auth';
import { parseChallenges } from './challenge';
import { CredentialStore } from './credentials';
import { header, HttpClient, HttpResponse, isLoopback, TransportError } from './http';
import { isObject, parseJson } from './json';
import { Limits, limitsFromEnv } from './limits';
import { MANIFEST_ACCEPT } from './mediatype';
import { isDigest, TAG } from './reference';

/** Manifests larger than this are refused, as containerd and distribution do. */
const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;

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

  /** One API request with auth: sent with the known header, and once more after answering a 401. */
  private async request(target: AuthTarget, method: 'GET' | 'HEAD', path: string, maxBytes: number) {
    return this.withScheme(target.registry, async (scheme) => {
      const url = new URL(`${scheme}://${target.registry}/v2/${target.repository}/${path}`);
      // The header just obtained is used for the request it was obtained for, even when it is about to expire
      // (a token server may grant 10 s or less): only later requests look for a fresh one.
      let answered: Authorization | undefined;
      for (let attempt = 1; ; attempt++) {
        const authorization = answered ?? this.auth.authorization(target);
        const response = await this.http.send({
          method,
          url,
          headers: {
            accept: MANIFEST_ACCEPT,
            ...(authorization ? { authorization: authorization.header } : {}),
          },
          credentials: authorization?.credentials ?? false,
          maxBytes,
        });
        // Only the registry itself may ask for credentials, never a host it redirected to.
        if (response.status !== 401 || response.url.origin !== url.origin) return response;
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
