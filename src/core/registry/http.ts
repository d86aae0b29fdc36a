// HTTP for the registry client: undici with a per-request timeout, bounded retries, proxies, safe redirects.
import { isIP } from 'node:net';
import { Agent, Dispatcher, request } from 'undici';
import { CheckError } from '../errors';
import { Log } from '../output/log';
import { baselineWasmOnly } from '../wasm';
import { isRetryableStatus, Limits, parseRetryAfter, retryDelay } from './limits';
import { decodeUserinfo, proxyFor } from './proxy';
import { tunnelConnector } from './tunnel';

// undici parses HTTP with wasm (llhttp), compiled on the first connection.
baselineWasmOnly();

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * The headers or body carry a credential. Such a request is never sent over plain http to a host other
   * than loopback, and a redirect to another origin is followed without the Authorization header.
   */
  credentials?: boolean;
  /** The largest body accepted (bytes); a longer one fails the request at once. */
  maxBytes: number;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  body: Buffer;
  /** Where the response came from, after redirects. */
  url: URL;
  /** How many attempts it took (more than one after retried failures). */
  attempts: number;
}

/** A request that could not be completed; `code` is the underlying network error code, when there is one. */
export class TransportError extends CheckError {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Network failures worth another attempt (a reset, a refused or dropped connection, a timeout, a short body). */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'BXG_TIMEOUT',
]);
const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export class HttpClient {
  private readonly direct: Agent;
  private readonly proxies = new Map<string, Agent>();

  constructor(
    private readonly limits: Limits,
    private readonly log: Log,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.direct = new Agent(this.agentOptions());
  }

  /** Sends with retries (408, 429, 5xx, resets, timeouts) and follows redirects; any other status is returned. */
  async send(req: HttpRequest): Promise<HttpResponse> {
    let current = req;
    for (let hop = 0; ; hop++) {
      const response = await this.sendWithRetries(current);
      const location = header(response.headers, 'location');
      if (!REDIRECTS.has(response.status) || location === undefined) return response;
      if (hop === MAX_REDIRECTS) {
        throw new TransportError(`${describe(req)}: more than ${MAX_REDIRECTS} redirects.`);
      }
      current = redirected(current, location);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.direct.close(), ...[...this.proxies.values()].map((agent) => agent.close())]);
  }

  /** Ends every request in flight at once (a deadline passed): close() would wait for them. */
  async destroy(): Promise<void> {
    await Promise.all([this.direct.destroy(), ...[...this.proxies.values()].map((agent) => agent.destroy())]);
  }

  private async sendWithRetries(req: HttpRequest): Promise<HttpResponse> {
    refuseCleartextCredentials(req);
    for (let attempt = 1; ; attempt++) {
      let outcome: HttpResponse | TransportError;
      try {
        outcome = await this.attempt(req);
      } catch (error) {
        outcome = asTransportError(req, error, this.limits);
      }
      const retryable =
        outcome instanceof TransportError
          ? RETRYABLE_CODES.has(outcome.code ?? '')
          : isRetryableStatus(outcome.status);
      if (!retryable) return unwrap(outcome, attempt);
      const retryAfter =
        outcome instanceof TransportError
          ? undefined
          : parseRetryAfter(header(outcome.headers, 'retry-after'), Date.now());
      const delay = retryDelay(attempt, retryAfter, this.limits);
      if (delay === undefined) return unwrap(outcome, attempt);
      this.log.debug(`${describe(req)}: ${summarize(outcome)}; retry ${attempt} in ${delay} ms`);
      await sleep(delay);
    }
  }

  private async attempt(req: HttpRequest): Promise<HttpResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.limits.timeoutMs);
    try {
      const response = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: controller.signal,
        dispatcher: this.dispatcherFor(req.url),
      });
      const body = await readCapped(response.body, response.headers, req);
      this.log.debug(`${req.method} ${describeUrl(req.url)} -> ${response.statusCode}`);
      return { status: response.statusCode, headers: response.headers, body, url: req.url, attempts: 1 };
    } catch (error) {
      if (timedOut) {
        throw new TransportError(
          `${describe(req)}: no answer within ${this.limits.timeoutMs} ms`,
          'BXG_TIMEOUT',
        );
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private dispatcherFor(url: URL): Dispatcher {
    const proxy = proxyFor(url, this.env);
    if (!proxy) return this.direct;
    let agent = this.proxies.get(proxy.href);
    if (!agent) {
      // Both forms: the password as written in the URL and as sent.
      if (proxy.password) [proxy.password, decodeUserinfo(proxy.password)].forEach((v) => this.log.secret(v));
      agent = new Agent({ ...this.agentOptions(), connect: tunnelConnector(proxy, this.limits.timeoutMs) });
      this.proxies.set(proxy.href, agent);
    }
    return agent;
  }

  private agentOptions(): Agent.Options {
    const { timeoutMs } = this.limits;
    return { connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs };
  }
}

/** Reads a body up to `maxBytes`, aborting as soon as it is known to be longer. */
async function readCapped(body: Dispatcher.ResponseData['body'], headers: ResponseHeaders, req: HttpRequest) {
  // Destroying the body makes it emit an abort error; nobody else listens, so it must not go unhandled.
  const abort = () => body.on('error', () => undefined).destroy();
  const declared = Number(header(headers, 'content-length'));
  if (req.method !== 'HEAD' && declared > req.maxBytes) {
    abort();
    throw tooLarge(req);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > req.maxBytes) {
      abort();
      throw tooLarge(req);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(req: HttpRequest): TransportError {
  return new TransportError(
    `${describe(req)}: the response is larger than the ${formatBytes(req.maxBytes)} limit.`,
  );
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

/** The next request after a redirect: same method, and no credentials for another origin. */
function redirected(req: HttpRequest, location: string): HttpRequest {
  let url: URL;
  try {
    url = new URL(location, req.url);
  } catch {
    throw new TransportError(`${describe(req)}: the registry redirected to an invalid location.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TransportError(`${describe(req)}: the registry redirected to a ${url.protocol} URL.`);
  }
  if (url.origin === req.url.origin) return { ...req, url };
  if (req.body !== undefined && req.credentials) {
    throw new TransportError(
      `${describe(req)}: refusing to send credentials to ${url.origin} after a redirect.`,
    );
  }
  const headers = Object.fromEntries(
    Object.entries(req.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'authorization'),
  );
  return { ...req, url, headers, credentials: false };
}

function refuseCleartextCredentials(req: HttpRequest): void {
  if (req.credentials && req.url.protocol === 'http:' && !isLoopback(req.url.hostname)) {
    throw new TransportError(
      `Refusing to send credentials over plain http to ${req.url.host}: serve it over https (a registry or token ` +
        `realm on plain http is only trusted with credentials on loopback).`,
    );
  }
}

/** localhost, 127.0.0.0/8 and ::1: the hosts plain http is trusted on. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (host.toLowerCase() === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return isIP(host) === 6 && new URL(`http://[${host}]/`).hostname === '[::1]';
}

function asTransportError(req: HttpRequest, error: unknown, limits: Limits): TransportError {
  if (error instanceof TransportError) return error;
  const code = errorCode(error);
  if (code !== undefined && TLS_TRUST_CODES.has(code)) {
    return new TransportError(
      `${describe(req)}: the TLS certificate of ${req.url.host} is not trusted (${code}). If it is signed by ` +
        `your own CA, put that CA in a PEM file and set NODE_EXTRA_CA_CERTS to its path.`,
      code,
    );
  }
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  const bound = code === 'UND_ERR_CONNECT_TIMEOUT' ? ` (${limits.timeoutMs} ms)` : '';
  return new TransportError(`${describe(req)}: ${reason}${bound}`, code);
}

function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = (error as { code?: unknown } | undefined)?.code ?? cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The final outcome of a request: the response, noting the attempts it took, or the error, thrown. */
function unwrap(outcome: HttpResponse | TransportError, attempts: number): HttpResponse {
  if (!(outcome instanceof TransportError)) return { ...outcome, attempts };
  if (attempts === 1) throw outcome;
  throw new TransportError(`${outcome.message} (gave up after ${attempts} attempts)`, outcome.code);
}

function summarize(outcome: HttpResponse | TransportError): string {
  return outcome instanceof TransportError ? (outcome.code ?? 'error') : `status ${outcome.status}`;
}

export function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A URL for messages: no user, password or query (a pre-signed redirect carries its signature there). */
function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function describe(req: HttpRequest): string {
  return `${req.method} ${describeUrl(req.url)}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
