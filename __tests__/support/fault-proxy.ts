// A reverse proxy in front of the real registry that injects faults into chosen requests, and a plain
// recording server to stand for "another host". The registry stays real: faults only bend what goes through.
import {
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  request,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo, Socket } from 'node:net';

export type Fault =
  /** Answer with this status (and headers, e.g. Retry-After or WWW-Authenticate) instead of the registry. */
  | { status: number; headers?: Record<string, string>; body?: string }
  /** Destroy the connection without an answer. */
  | { reset: true }
  /** Never answer. */
  | { stall: true }
  /** Send the registry's headers, then never send the body. */
  | { stallBody: true }
  /** Send the registry's headers (with the full Content-Length) and half the body, then close. */
  | { truncate: true }
  /** Send the registry's answer with one body byte changed and every header kept. */
  | { corrupt: true }
  /** Send the registry's answer with this Docker-Content-Digest. */
  | { digestHeader: string }
  /** Answer 200 with a valid-looking OCI manifest of `bytes` bytes, with or without Content-Length. */
  | { oversize: number; chunked?: boolean }
  /** Answer 307 to this URL. */
  | { redirect: string }
  /** Hold matching requests until this many are waiting, then forward them all: proof they were in flight together. */
  | { gather: number };

export interface FaultRule {
  method?: string;
  /** Matched against the request path. */
  path?: RegExp;
  /** Only requests that carry this header (lower case), e.g. authorization. */
  header?: string;
  /** Only requests without this header (lower case): a registry that challenges until it gets credentials. */
  missingHeader?: string;
  fault: Fault;
  /** How many matching requests get the fault; unlimited when absent. */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Epoch ms when it arrived. */
  at: number;
  /** The fault it got, if any. */
  fault?: Fault;
}

export interface FaultProxy {
  /** host:port, as it goes into an image reference. */
  host: string;
  url: string;
  /** Faults to inject; the first matching rule with times left applies. Replace freely between tests. */
  rules: FaultRule[];
  requests: RecordedRequest[];
  /** No faults and no recorded requests: the state each test starts from. */
  reset(): void;
  stop(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const gathered = new Map<Fault, (() => void)[]>();
  const proxy: FaultProxy = {
    host: '',
    url: '',
    rules: [],
    requests: [],
    reset: () => {
      proxy.rules = [];
      proxy.requests.splice(0);
    },
    stop: async () => undefined,
  };
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    const rule = proxy.rules.find(
      (r) =>
        (r.method === undefined || r.method === req.method) &&
        (!r.path || r.path.test(path)) &&
        (!r.header || req.headers[r.header] !== undefined) &&
        (!r.missingHeader || req.headers[r.missingHeader] === undefined) &&
        (r.times ?? 1) > 0,
    );
    if (rule?.times !== undefined) rule.times--;
    proxy.requests.push({
      method: req.method ?? '',
      path,
      headers: req.headers,
      at: Date.now(),
      ...(rule ? { fault: rule.fault } : {}),
    });
    const fault = rule?.fault;
    if (fault && 'status' in fault) {
      res.writeHead(fault.status, fault.headers).end(fault.body);
    } else if (fault && 'reset' in fault) {
      req.socket.destroy();
    } else if (fault && 'stall' in fault) {
      return;
    } else if (fault && 'oversize' in fault) {
      serveOversize(res, fault.oversize, fault.chunked ?? false);
    } else if (fault && 'redirect' in fault) {
      res.writeHead(307, { location: fault.redirect }).end();
    } else if (fault && 'gather' in fault) {
      const waiting = gathered.get(fault) ?? [];
      gathered.set(fault, waiting);
      waiting.push(() => forward(req, res, target, undefined));
      if (waiting.length >= fault.gather) waiting.splice(0).forEach((release) => release());
    } else {
      forward(req, res, target, fault);
    }
  });
  const { url, host, stop } = await listen(server);
  return Object.assign(proxy, { url, host, stop });
}

function forward(req: IncomingMessage, res: ServerResponse, target: URL, fault: Fault | undefined): void {
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: target.host },
    },
    (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        const headers = { ...answer.headers };
        if (fault && 'digestHeader' in fault) headers['docker-content-digest'] = fault.digestHeader;
        if (fault && 'corrupt' in fault && body.length > 0) body[Math.floor(body.length / 2)] ^= 0x01;
        res.writeHead(answer.statusCode ?? 502, headers);
        if (fault && 'stallBody' in fault) res.flushHeaders();
        else if (fault && 'truncate' in fault)
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.destroy());
        else res.end(body);
      });
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
}

/** An OCI manifest padded with annotations to `bytes` bytes: well-formed, only too large. */
function serveOversize(res: ServerResponse, bytes: number, chunked: boolean): void {
  const head =
    '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","annotations":{"pad":"';
  const tail = '"}}';
  const body = Buffer.from(head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail);
  res.writeHead(200, {
    'content-type': 'application/vnd.oci.image.manifest.v1+json',
    ...(chunked ? {} : { 'content-length': String(body.length) }),
  });
  res.on('error', () => undefined);
  // In slices, so a client that stops reading early is seen to stop.
  const slice = 64 * 1024;
  let offset = 0;
  const next = () => {
    while (offset < body.length && !res.destroyed) {
      const chunk = body.subarray(offset, offset + slice);
      offset += slice;
      if (!res.write(chunk)) return void res.once('drain', next);
    }
    if (!res.destroyed) res.end();
  };
  next();
}

export interface RecordingServer {
  host: string;
  url: string;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

/**
 * A server that records what reaches it and answers with `respond` (404 by default): "another host" for
 * redirects and auth realms. Loopback only, like every server the tests start.
 */
export async function startRecordingServer(
  respond: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(404).end(),
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '/', headers: req.headers, at: Date.now() });
    respond(req, res);
  });
  const { url, host, stop } = await listen(server);
  return { url, host, requests, stop };
}

/** Listens on a random loopback port: no test server is reachable from off this machine. */
async function listen(server: Server) {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: `http://${host}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
