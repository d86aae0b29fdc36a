// A registry that answers what a real one never would (a body that contradicts its Content-Type, control
// characters in every field): the attacker's side of SECURITY.md. Loopback only, plain http, no auth.
import { RecordedRequest, startRecordingServer } from './fault-proxy';
import { sha256 } from './oci';

export interface Served {
  contentType: string;
  bytes: Buffer;
  /** Headers to add or override (a hostile Docker-Content-Digest, say). */
  headers?: Record<string, string>;
}

export interface HostileRegistry {
  host: string;
  /** What each path under /v2/<repo>/ serves: `manifests/<ref>` or `blobs/<digest>`; anything else is 404. */
  serve(repo: string, path: string, served: Served): void;
  /** Serves a JSON value as a manifest under its digest and the given tags, with this Content-Type; returns the digest. */
  manifest(repo: string, contentType: string, body: unknown, tags?: string[]): string;
  /** Serves a JSON value as a blob; returns its digest. */
  blob(repo: string, body: unknown): string;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

export async function startHostileRegistry(): Promise<HostileRegistry> {
  const routes = new Map<string, Served>();
  const server = await startRecordingServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/v2/') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const served = routes.get(path);
    if (!served) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[]}');
      return;
    }
    res.writeHead(200, {
      'content-type': served.contentType,
      'content-length': String(served.bytes.length),
      'docker-content-digest': sha256(served.bytes),
      ...served.headers,
    });
    res.end(req.method === 'HEAD' ? undefined : served.bytes);
  });
  const serve = (repo: string, path: string, served: Served) => routes.set(`/v2/${repo}/${path}`, served);
  return {
    host: server.host,
    serve,
    manifest(repo, contentType, body, tags = []) {
      const bytes = Buffer.from(JSON.stringify(body));
      const digest = sha256(bytes);
      for (const ref of [digest, ...tags]) serve(repo, `manifests/${ref}`, { contentType, bytes });
      return digest;
    },
    blob(repo, body) {
      const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      const digest = sha256(bytes);
      serve(repo, `blobs/${digest}`, { contentType: 'application/octet-stream', bytes });
      return digest;
    },
    requests: server.requests,
    stop: server.stop,
  };
}
