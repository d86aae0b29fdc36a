// A read-only Git smart-HTTP server on 127.0.0.1 (git http-backend behind node's http server), serving a bare
// repository made from a directory of files: the default Git context build-push-action builds from.
import { execFileSync, spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface GitServer {
  /** http://127.0.0.1:PORT: GITHUB_SERVER_URL for the default context. */
  url: string;
  /** owner/name: GITHUB_REPOSITORY. */
  repository: string;
  /** The one commit: GITHUB_SHA. */
  commit: string;
  stop(): Promise<void>;
}

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: cwd, GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();

/** Commits `files` (relative path → content) to `owner/name.git` and serves it until stopped. */
export async function startGitServer(
  files: Record<string, string>,
  repository = 'octo/app',
): Promise<GitServer> {
  const root = mkdtempSync(join(tmpdir(), 'bxg-git-'));
  const work = join(root, 'work');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), content);
  }
  git(work, ['init', '-q', '-b', 'main']);
  git(work, ['add', '.']);
  git(work, ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'app']);
  const commit = git(work, ['rev-parse', 'HEAD']);
  const bare = join(root, 'repos', `${repository}.git`);
  mkdirSync(dirname(bare), { recursive: true });
  git(root, ['clone', '-q', '--bare', work, bare]);
  // BuildKit fetches the commit by its id.
  git(bare, ['config', 'uploadpack.allowAnySHA1InWant', 'true']);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: join(root, 'repos'),
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: root,
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        // Pushing needs REMOTE_USER; without it http-backend refuses receive-pack: the server is read-only.
        ...(req.headers['content-encoding']
          ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] }
          : {}),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const colon = line.indexOf(':');
        const [name, value] = [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => {
      if (!headersDone) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    repository,
    commit,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }).then(() => rmSync(root, { recursive: true, force: true })),
  };
}
