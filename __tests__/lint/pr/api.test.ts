// ForgeApi through @actions/github's octokit against the loopback forge API (__tests__/support/forge-api.ts),
// in its GitHub and Gitea flavours: paths, auth header, Link pagination, the marker lookup, create vs update,
// and the 403 and rate-limit answers.
import { getOctokit } from '@actions/github';
import { API_LIMITS, describeApiError, ForgeApi } from '../../../src/modes/lint/pr/api';
import { COMMENT_MARKER } from '../../../src/modes/lint/pr/comment';
import { PullRequest } from '../../../src/modes/lint/pr/event';
import { Flavor, ForgeServer, ForgeState, startForgeApi } from '../../support/forge-api';

const TOKEN = 'ghs_apiTestToken';
let server: ForgeServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function forge(flavor: Flavor, state: Partial<ForgeState> = {}) {
  server = await startForgeApi(flavor, {
    owner: 'acme',
    repo: 'app',
    number: 7,
    files: [],
    contents: {},
    comments: [],
    token: TOKEN,
    ...state,
  });
  const pr: PullRequest = {
    event: 'pull_request',
    owner: 'acme',
    repo: 'app',
    number: 7,
    baseSha: '1'.repeat(40),
    headSha: '2'.repeat(40),
    serverUrl: server.serverUrl,
    apiUrl: server.apiUrl,
  };
  const { apiUrl } = server;
  const api = new ForgeApi(() => getOctokit(TOKEN, { baseUrl: apiUrl }), pr);
  return { api, server };
}

const paths = (s: ForgeServer) => s.requests.map((request) => `${request.method} ${request.url}`);

describe.each(['github', 'gitea'] as const)('ForgeApi on %s', (flavor) => {
  const prefix = flavor === 'github' ? '' : '/api/v1';

  it('lists every changed file, following Link rel="next", with the token', async () => {
    const files = Array.from({ length: 7 }, (_, i) => ({
      filename: `f${i}.yml`,
      patch: '@@ -0,0 +1 @@\n+x',
    }));
    const { api, server } = await forge(flavor, { files, maxPage: 3 });
    const listed = await api.changedFiles();
    expect(listed.map((file) => file.filename)).toEqual(files.map((file) => file.filename));
    // GitHub returns the patch; Gitea's ChangedFile has none.
    expect(listed.every((file) => (file.patch !== undefined) === (flavor === 'github'))).toBe(true);
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
    expect(paths(server)[0]).toBe(`GET ${prefix}/repos/acme/app/pulls/7/files?per_page=100`);
  });

  it('reads a file at a commit, and says when it is absent', async () => {
    const { api } = await forge(flavor, {
      contents: { ['1'.repeat(40)]: { '.github/buildx-guard.yml': 'rules: {}\n' } },
    });
    expect(await api.fileAt('.github/buildx-guard.yml', '1'.repeat(40))).toBe('rules: {}\n');
    expect(await api.fileAt('.github/buildx-guard.yml', '2'.repeat(40))).toBeUndefined();
  });

  it('creates the comment once, then updates it in place, and leaves an identical one alone', async () => {
    const others = Array.from({ length: 5 }, (_, i) => ({
      id: i + 1,
      body: `hello ${i}`,
      user: { login: 'someone' },
    }));
    const { api, server } = await forge(flavor, { comments: [...others], maxPage: 2 });
    expect(await api.upsertComment(`${COMMENT_MARKER}\nfirst`)).toBe('created');
    expect(await api.upsertComment(`${COMMENT_MARKER}\nsecond`)).toBe('updated');
    expect(await api.upsertComment(`${COMMENT_MARKER}\nsecond`)).toBe('unchanged');
    const ours = server.state.comments.filter((comment) => comment.body.startsWith(COMMENT_MARKER));
    expect(ours).toHaveLength(1);
    expect(ours[0].body).toBe(`${COMMENT_MARKER}\nsecond`);
    const writes = paths(server).filter((line) => !line.startsWith('GET'));
    expect(writes).toEqual([
      `POST ${prefix}/repos/acme/app/issues/7/comments`,
      `PATCH ${prefix}/repos/acme/app/issues/comments/${ours[0].id}`,
    ]);
  });

  it("does not take over someone else's comment that starts with the marker", async () => {
    const fake = { id: 1, body: `${COMMENT_MARKER}\nfake`, user: { login: 'mallory' } };
    const { api, server } = await forge(flavor, { comments: [fake] });
    expect(await api.upsertComment(`${COMMENT_MARKER}\nreal`)).toBe('created');
    // The next run finds its own comment again: no second one.
    expect(await api.upsertComment(`${COMMENT_MARKER}\nreal, updated`)).toBe('updated');
    expect(server.state.comments.map((comment) => comment.body)).toEqual([
      `${COMMENT_MARKER}\nfake`,
      `${COMMENT_MARKER}\nreal, updated`,
    ]);
  });

  it('a read-only token: 403 with the forge’s message', async () => {
    const { api } = await forge(flavor, { readOnly: true });
    const error = await api.upsertComment(`${COMMENT_MARKER}\nx`).catch((e: unknown) => e);
    expect(describeApiError(error)).toBe('HTTP 403: Resource not accessible by integration');
  });

  it('a wrong token: 401', async () => {
    const { server } = await forge(flavor);
    const api = new ForgeApi(() => getOctokit('wrong', { baseUrl: server.apiUrl }), {
      event: 'pull_request',
      owner: 'acme',
      repo: 'app',
      number: 7,
      baseSha: '1'.repeat(40),
      headSha: '2'.repeat(40),
      serverUrl: server.serverUrl,
      apiUrl: server.apiUrl,
    });
    expect(describeApiError(await api.changedFiles().catch((e: unknown) => e))).toBe(
      'HTTP 401: Bad credentials',
    );
  });
});

describe('Gitea: the whole diff', () => {
  it('GET /pulls/{number}.diff', async () => {
    const { api, server } = await forge('gitea', {
      files: [{ filename: 'a.yml', patch: '@@ -0,0 +1 @@\n+x' }],
    });
    expect(await api.pullDiff()).toContain('+++ b/a.yml\n@@ -0,0 +1 @@\n+x');
    expect(paths(server)).toEqual(['GET /api/v1/repos/acme/app/pulls/7.diff']);
  });
});

describe('the rate limit', () => {
  it.each([
    [
      '403 with x-ratelimit-remaining: 0',
      '403' as const,
      /^HTTP 403, the API rate limit is spent: API rate limit exceeded/,
    ],
    ['429', '429' as const, /^HTTP 429, the API rate limit is spent/],
  ])('%s', async (_, rateLimit, message) => {
    const { api } = await forge('github', { rateLimit });
    expect(describeApiError(await api.changedFiles().catch((e: unknown) => e))).toMatch(message);
  });
});

describe('bounds', () => {
  it(`stops after ${API_LIMITS.filePages} pages of files`, async () => {
    const files = Array.from({ length: API_LIMITS.filePages + 1 }, (_, i) => ({ filename: `f${i}.yml` }));
    const { api, server } = await forge('github', { files, maxPage: 1 });
    await expect(api.changedFiles()).rejects.toThrow(
      `more than ${API_LIMITS.filePages} pages of changed files`,
    );
    expect(server.requests.length).toBe(API_LIMITS.filePages + 1);
  });
});
