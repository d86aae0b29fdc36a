// Answers a registry's 401: Bearer tokens (anonymous, Basic to the realm, identity tokens) or Basic auth.
import { CheckError } from '../errors';
import { Log } from '../output/log';
import { Challenge } from './challenge';
import { basicToken, Credential, CredentialStore } from './credentials';
import { HttpClient, HttpRequest } from './http';
import { isObject, parseJson } from './json';

/** The repository a request is for, and whose credentials apply. */
export interface AuthTarget {
  /** The API host[:port]. */
  registry: string;
  /** The host[:port] credentials are stored under (docker.io for Docker Hub). */
  domain: string;
  repository: string;
}

/** An Authorization header, and whether it came from the user's credentials (it then needs a safe channel). */
export interface Authorization {
  header: string;
  credentials: boolean;
  /** Epoch ms after which a token should not be reused. */
  expiresAt: number;
}

const TOKEN_BYTES = 1024 * 1024;
/** Token lifetime when the server does not say; the distribution spec's minimum. */
const DEFAULT_TOKEN_SECONDS = 60;
/** Basic auth does not expire. */
const NEVER = Number.POSITIVE_INFINITY;
const CLIENT_ID = 'buildx-guard';

export class Authenticator {
  /** Per registry+repository: the header to send. */
  private readonly cache = new Map<string, Authorization>();
  /** Token requests in flight or done, shared by requests that need the same realm, service and scope. */
  private readonly tokens = new Map<string, { promise: Promise<Authorization>; value?: Authorization }>();

  constructor(
    private readonly http: HttpClient,
    private readonly credentials: CredentialStore,
    private readonly log: Log,
  ) {}

  /** The header already known for this repository, if any. */
  authorization(target: AuthTarget): Authorization | undefined {
    const cached = this.cache.get(cacheKey(target));
    return cached && cached.expiresAt > Date.now() ? cached : undefined;
  }

  /** Obtains a header that answers the challenges; throws CheckError when none can be answered. */
  async answer(target: AuthTarget, challenges: Challenge[]): Promise<Authorization> {
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    let authorization: Authorization;
    if (bearer) authorization = await this.bearer(target, bearer);
    else if (basic) authorization = await this.basic(target);
    else {
      const schemes = challenges.map((c) => c.scheme).join(', ') || 'none';
      throw new CheckError(
        `${target.registry} asks for authentication this tool does not speak (${schemes}).`,
      );
    }
    this.cache.set(cacheKey(target), authorization);
    return authorization;
  }

  /** Whether credentials exist for the target (for the message when the registry still says 401). */
  async hasCredentials(target: AuthTarget): Promise<boolean> {
    return (await this.credentials.get(target.domain)) !== undefined;
  }

  private async basic(target: AuthTarget): Promise<Authorization> {
    const credential = await this.credentials.get(target.domain);
    if (credential?.kind !== 'basic') {
      throw new CheckError(
        `${target.registry} asks for a user name and password, and ${this.credentials.configPath} has none for ` +
          `${target.domain}: run docker login ${target.domain} (or set DOCKER_CONFIG).`,
      );
    }
    return {
      header: `Basic ${basicToken(credential.username, credential.password)}`,
      credentials: true,
      expiresAt: NEVER,
    };
  }

  private bearer(target: AuthTarget, challenge: Challenge): Promise<Authorization> {
    const realm = parseRealm(challenge.params.realm, target);
    const service = challenge.params.service ?? '';
    const scope = challenge.params.scope ?? `repository:${target.repository}:pull`;
    const key = [realm.href, service, scope, target.domain].join('\n');
    const known = this.tokens.get(key);
    if (known && (!known.value || known.value.expiresAt > Date.now())) return known.promise;
    const entry: { promise: Promise<Authorization>; value?: Authorization } = {
      promise: this.fetchToken(target, realm, service, scope),
    };
    entry.promise.then(
      (value) => (entry.value = value),
      () => this.tokens.delete(key), // a failure must not stick: the next request asks again
    );
    this.tokens.set(key, entry);
    return entry.promise;
  }

  private async fetchToken(
    target: AuthTarget,
    realm: URL,
    service: string,
    scope: string,
  ): Promise<Authorization> {
    const credential = await this.credentials.get(target.domain);
    const response = await this.http.send(tokenRequest(realm, service, scope, credential));
    const where = `the token server ${realm.origin}${realm.pathname}`;
    if (response.status === 401 || response.status === 403) {
      throw new CheckError(
        credential
          ? `${where} refused the credentials for ${target.domain} (status ${response.status}): run docker login ${target.domain} again.`
          : `${where} refused anonymous access to ${target.repository} (status ${response.status}): run docker login ${target.domain}, or set DOCKER_CONFIG to a config with credentials.`,
      );
    }
    if (response.status !== 200) {
      throw new CheckError(`${where} answered status ${response.status} for ${target.repository}.`);
    }
    const data = parseJson(response.body.toString('utf8'));
    const token = isObject(data) ? (data.token ?? data.access_token) : undefined;
    if (typeof token !== 'string' || token === '') {
      throw new CheckError(`${where} answered without a token for ${target.repository}.`);
    }
    this.log.secret(token);
    const seconds =
      isObject(data) && typeof data.expires_in === 'number' ? data.expires_in : DEFAULT_TOKEN_SECONDS;
    this.log.debug(
      `token for ${target.registry}/${target.repository} (${credential ? 'with credentials' : 'anonymous'})`,
    );
    return {
      header: `Bearer ${token}`,
      credentials: credential !== undefined,
      // Renew a little early, so a token does not expire between the check and the request.
      expiresAt: Date.now() + Math.max(0, seconds - 10) * 1000,
    };
  }
}

/** The token request: the refresh_token grant for identity tokens, Basic for passwords, or anonymous. */
export function tokenRequest(
  realm: URL,
  service: string,
  scope: string,
  credential?: Credential,
): HttpRequest {
  if (credential?.kind === 'identity-token') {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credential.token,
      service,
      scope,
      client_id: CLIENT_ID,
    });
    return {
      method: 'POST',
      url: realm,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      credentials: true,
      maxBytes: TOKEN_BYTES,
    };
  }
  const url = new URL(realm);
  if (service) url.searchParams.set('service', service);
  url.searchParams.set('scope', scope);
  if (credential) url.searchParams.set('account', credential.username);
  return {
    method: 'GET',
    url,
    headers: credential
      ? { authorization: `Basic ${basicToken(credential.username, credential.password)}` }
      : {},
    credentials: credential !== undefined,
    maxBytes: TOKEN_BYTES,
  };
}

function parseRealm(realm: string | undefined, target: AuthTarget): URL {
  let url: URL | undefined;
  try {
    url = realm ? new URL(realm) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new CheckError(`${target.registry} sent a Bearer challenge without a usable realm URL.`);
  }
  return url;
}

function cacheKey(target: AuthTarget): string {
  return `${target.registry}/${target.repository}`;
}
