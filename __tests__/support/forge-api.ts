// A loopback forge API with the endpoints a pull-request lint check uses, written from GitHub's REST
// documentation and Gitea's API documentation (Forgejo's is Gitea's):
// - GET  {api}/repos/{owner}/{repo}/pulls/{number}/files: GitHub pages with per_page (at most 100) and page,
//   Gitea with limit (at most 50) and page; both answer a `Link` header with rel="next"/"last". GitHub's
//   entries carry `patch`; Gitea's ChangedFile has none.
// - GET  {api}/repos/{owner}/{repo}/pulls/{number}.diff: Gitea's whole diff as text (GitHub has no such path).
// - GET  {api}/repos/{owner}/{repo}/contents/{path}?ref=SHA: {type: "file", encoding: "base64", content}, 404.
// - GET  {api}/repos/{owner}/{repo}/issues/{number}/comments (paginated as above),
//   POST the same path {body} → 201, PATCH {api}/repos/{owner}/{repo}/issues/comments/{id} {body} → 200.
// - Auth: `Authorization: token T` (both) or `Bearer T` (both); none or a wrong one → 401.
// - Refusals: 403 {"message":"Resource not accessible by integration"} for a read-only token's writes (a
//   fork's), and GitHub's rate limit: 403 with x-ratelimit-remaining: 0, or 429 with retry-after.
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export type Flavor = 'github' | 'gitea';

export interface ForgeFile {
  filename: string;
  status?: 'added' | 'modified' | 'removed' | 'renamed';
  /** The file's hunks (GitHub's `patch`; Gitea gets them in the .diff). */
  patch?: string;
}

export interface ForgeComment {
  id: number;
  body: string;
  user: { login: string; type?: string };
}

export interface ForgeRequest {
  method: string;
  /** Path and query, as received (the API prefix included). */
  url: string;
  authorization?: string;
  body?: unknown;
}

export interface ForgeState {
  owner: string;
  repo: string;
  number: number;
  files: ForgeFile[];
  /** ref (SHA) → path → text. */
  contents: Record<string, Record<string, string>>;
  comments: ForgeComment[];
  /** The accepted token and what it may do. */
  token: string;
  readOnly?: boolean;
  /** Answer every request with the rate-limit refusal. */
  rateLimit?: '403' | '429';
  /** A smaller page size than the forge's maximum, to make pagination happen with few items. */
  maxPage?: number;
}

export interface ForgeServer {
  /** What GITHUB_API_URL is set to: the root on GitHub, /api/v1 on Gitea and Forgejo. */
  apiUrl: string;
  serverUrl: string;
  state: ForgeState;
  requests: ForgeRequest[];
  stop(): Promise<void>;
}

const BOT: Record<Flavor, ForgeComment['user']> = {
  github: { login: 'github-actions[bot]', type: 'Bot' },
  gitea: { login: 'gitea-actions' },
};
const PAGE: Record<Flavor, { param: string; fallback: number; max: number }> = {
  github: { param: 'per_page', fallback: 30, max: 100 },
  gitea: { param: 'limit', fallback: 30, max: 50 },
};

export async function startForgeApi(flavor: Flavor, state: ForgeState): Promise<ForgeServer> {
  const prefix = flavor === 'github' ? '' : '/api/v1';
  const requests: ForgeRequest[] = [];
  let nextId = 1000;
  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const record: ForgeRequest = { method: req.method ?? '', url: req.url ?? '' };
    if (req.headers.authorization) record.authorization = req.headers.authorization;
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    try {
      record.body = raw ? JSON.parse(raw) : undefined;
    } catch {
      requests.push(record);
      return json(400, { message: 'Problems parsing JSON' });
    }
    requests.push(record);

    if (state.rateLimit === '403')
      return json(403, { message: 'API rate limit exceeded for installation.' }, rateHeaders());
    if (state.rateLimit === '429')
      return json(429, { message: 'Too Many Requests' }, { 'retry-after': '60' });
    const auth = /^(token|Bearer) (.+)$/.exec(req.headers.authorization ?? '');
    if (!auth || auth[2] !== state.token) return json(401, { message: 'Bad credentials' });

    const url = new URL(req.url ?? '/', 'http://forge');
    if (!url.pathname.startsWith(`${prefix}/repos/${state.owner}/${state.repo}/`))
      return json(404, { message: 'Not Found' });
    const path = url.pathname.slice(`${prefix}/repos/${state.owner}/${state.repo}`.length);
    const pull = `/pulls/${state.number}`;
    const issue = `/issues/${state.number}/comments`;

    if (req.method === 'GET' && path === `${pull}/files`) {
      const files = state.files.map((file) =>
        flavor === 'github'
          ? { filename: file.filename, status: file.status ?? 'modified', patch: file.patch }
          : { filename: file.filename, status: file.status ?? 'modified' },
      );
      return paged(url, files);
    }
    if (req.method === 'GET' && path === `${pull}.diff` && flavor === 'gitea') {
      const diff = state.files
        .filter((file) => file.status !== 'removed' && file.patch !== undefined)
        .map(
          (file) =>
            `diff --git a/${file.filename} b/${file.filename}\n--- a/${file.filename}\n+++ b/${file.filename}\n${file.patch}\n`,
        )
        .join('');
      return res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(diff);
    }
    if (req.method === 'GET' && path.startsWith('/contents/')) {
      const file = decodeURIComponent(path.slice('/contents/'.length));
      const text = state.contents[url.searchParams.get('ref') ?? '']?.[file];
      if (text === undefined) return json(404, { message: 'Not Found' });
      return json(200, {
        type: 'file',
        encoding: 'base64',
        path: file,
        content: Buffer.from(text).toString('base64'),
      });
    }
    if (req.method === 'GET' && path === issue) return paged(url, state.comments);
    if (req.method === 'POST' && path === issue) {
      if (state.readOnly) return json(403, { message: 'Resource not accessible by integration' });
      const comment = {
        id: nextId++,
        body: String((record.body as { body?: unknown })?.body),
        user: BOT[flavor],
      };
      state.comments.push(comment);
      return json(201, comment);
    }
    const edit = /^\/issues\/comments\/(\d+)$/.exec(path);
    if (req.method === 'PATCH' && edit) {
      const comment = state.comments.find((c) => c.id === Number(edit[1]));
      if (!comment) return json(404, { message: 'Not Found' });
      if (state.readOnly || comment.user.login !== BOT[flavor].login)
        return json(403, { message: 'Resource not accessible by integration' });
      comment.body = String((record.body as { body?: unknown })?.body);
      return json(200, comment);
    }
    return json(404, { message: 'Not Found' });

    /** One page of `items`, with the Link header both forges send. */
    function paged(url: URL, items: unknown[]) {
      const { param, fallback, max } = PAGE[flavor];
      const size = Math.min(Number(url.searchParams.get(param)) || fallback, max, state.maxPage ?? max);
      const page = Math.max(Number(url.searchParams.get('page')) || 1, 1);
      const last = Math.max(Math.ceil(items.length / size), 1);
      const link = (n: number, rel: string) => {
        const target = new URL(url.toString());
        target.searchParams.set('page', String(n));
        target.searchParams.set(param, String(size));
        return `<http://${req.headers.host}${target.pathname}${target.search}>; rel="${rel}"`;
      };
      const links = page < last ? [link(page + 1, 'next'), link(last, 'last')] : [];
      const headers: Record<string, string> =
        flavor === 'gitea' ? { 'x-total-count': String(items.length) } : {};
      if (links.length > 0) headers.link = links.join(', ');
      return json(200, items.slice((page - 1) * size, page * size), headers);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${origin}${prefix}`,
    serverUrl: origin,
    state,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function rateHeaders(): Record<string, string> {
  return {
    'x-ratelimit-limit': '1000',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}
