// A reverse proxy in front of a real server (the registry, a token server) that adds a fixed latency to every
// request and records each one, so a bench can count round trips by kind and see how many overlap.
// It runs in its own process (bench/latency-proxy.ts), so its work does not compete with the measured
// verifier's event loop; the bench reads its records over a control path that is neither delayed nor counted.
import {
  createServer,
  request as httpRequest,
  Agent,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { epochMs } from './proc';
import { LATENCY_PROXY } from './paths';
import { startServerProcess } from './servers';

export type RequestKind = 'ping' | 'manifest' | 'blob' | 'token' | 'other';
/** What the proxy stands in front of: a registry (requests sorted by API path) or a token server. */
export type Upstream = 'registry' | 'token';

export interface ProxiedRequest {
  method: string;
  kind: RequestKind;
  status: number;
  startedAt: number;
  endedAt: number;
}

export interface ProxySnapshot {
  requests: ProxiedRequest[];
  /** Most requests in flight at once since the last reset. */
  maxInFlight: number;
}

const CONTROL = '/__bench/';

/** The distribution API path kinds (`/v2/`, `/v2/<name>/manifests/<ref>`, `/v2/<name>/blobs/<digest>`). */
export function registryPathKind(path: string): RequestKind {
  const pathname = path.split('?')[0];
  if (pathname === '/v2/' || pathname === '/v2') return 'ping';
  if (/^\/v2\/.+\/manifests\/[^/]+$/.test(pathname)) return 'manifest';
  if (/^\/v2\/.+\/blobs\/[^/]+$/.test(pathname)) return 'blob';
  return 'other';
}

/** The proxy itself, in the proxy process: listens on 127.0.0.1 and a random port. */
export async function serveLatencyProxy(
  target: string,
  delayMs: number,
  upstreamKind: Upstream,
): Promise<Server> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  const kindOf = (path: string): RequestKind => (upstreamKind === 'token' ? 'token' : registryPathKind(path));
  let requests: ProxiedRequest[] = [];
  let inFlight = 0;
  let peak = 0;

  const control = (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === `${CONTROL}reset`) {
      requests = [];
      peak = inFlight;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ requests, maxInFlight: peak } satisfies ProxySnapshot));
  };

  const forward = (req: IncomingMessage, res: ServerResponse, startedAt: number) => {
    const done = (status: number) => {
      inFlight--;
      requests.push({
        method: req.method ?? '?',
        kind: kindOf(req.url ?? ''),
        status,
        startedAt,
        endedAt: epochMs(),
      });
    };
    const outbound = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => done(answer.statusCode ?? 0));
      },
    );
    outbound.on('error', (error) => {
      done(502);
      res.writeHead(502).end(String(error));
    });
    req.pipe(outbound);
  };

  const server = createServer((req, res) => {
    if (req.url?.startsWith(CONTROL)) return control(req, res);
    const startedAt = epochMs();
    inFlight++;
    peak = Math.max(peak, inFlight);
    // Hold the request before forwarding: the client sees one extra round trip of delayMs per request.
    req.pause();
    setTimeout(() => {
      req.resume();
      forward(req, res, startedAt);
    }, delayMs);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

export interface LatencyProxy {
  /** host:port of the proxy, for image references. */
  host: string;
  url: string;
  reset(): Promise<void>;
  snapshot(): Promise<ProxySnapshot>;
  stop(): Promise<void>;
}

/** Starts a proxy process (the bundled bench/latency-proxy.ts) in front of `target`. */
export async function startLatencyProxy(
  target: string,
  options: { delayMs: number; upstream?: Upstream },
): Promise<LatencyProxy> {
  const server = await startServerProcess(LATENCY_PROXY, [
    target,
    String(options.delayMs),
    options.upstream ?? 'registry',
  ]);
  const url = `http://127.0.0.1:${server.ready}`;
  const control = async (what: string) =>
    (await (await fetch(`${url}${CONTROL}${what}`)).json()) as ProxySnapshot;
  return {
    host: `127.0.0.1:${server.ready}`,
    url,
    reset: async () => void (await control('reset')),
    snapshot: () => control('requests'),
    stop: server.stop,
  };
}

/** Requests counted as "METHOD kind" (e.g. "HEAD manifest"), in a stable order. */
export function countByKind(requests: ProxiedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const request of requests) {
    const key = `${request.method} ${request.kind}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The round trips a client waited for one after another: the longest run of requests each sent after the
 * previous one was answered (greedy by earliest answer, which finds the longest such run). Each costs at least
 * one round trip and overlapping requests count once, so this is the depth of the client's critical path; with a
 * sliding window of requests in flight it can exceed the number of "waves" when answers come back unevenly.
 */
export function sequentialRoundTrips(requests: ProxiedRequest[]): number {
  let count = 0;
  let answeredAt = -Infinity;
  for (const request of [...requests].sort((a, b) => a.endedAt - b.endedAt)) {
    if (request.startedAt >= answeredAt) {
      count++;
      answeredAt = request.endedAt;
    }
  }
  return count;
}
