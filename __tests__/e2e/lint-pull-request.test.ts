// Lint mode as a pull-request check, end to end: `node dist/index.js` as a runner runs it (INPUT_*, the event
// payload at GITHUB_EVENT_PATH, GITHUB_API_URL), against the loopback forge API of __tests__/support/forge-api.ts
// in its GitHub and Gitea flavours (Forgejo's API is Gitea's).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runAction } from '../support/action-runner';
import { Flavor, ForgeServer, ForgeState, startForgeApi } from '../support/forge-api';

const EVENTS = join(__dirname, '..', 'fixtures', 'events');
const BASE = '1'.repeat(40);
const HEAD = '2'.repeat(40);
const TOKEN = 'ghs_pullRequestCheckToken';

const RELEASE = `name: release
on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ghcr.io/acme/app:latest
`;
const RELEASE_FIXED = RELEASE.replace('push: true', 'push: true\n          provenance: false');
const NIGHTLY = `name: nightly
on:
  schedule:
    - cron: '0 3 * * *'
jobs:
  nightly:
    runs-on: ubuntu-latest
    steps:
      - run: docker buildx build --push -t ghcr.io/acme/nightly:latest .
`;

/** The patch of a file the PR adds. */
function added(text: string): string {
  const lines = text.trimEnd().split('\n');
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join('\n');
}

interface Scenario {
  flavor: Flavor;
  forge?: 'gitea' | 'forgejo';
  event?: string;
  files: Record<string, string>;
  state?: Partial<ForgeState>;
}

let workspace: string;
let server: ForgeServer | undefined;

beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'bxg-pr-'));
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  rmSync(workspace, { recursive: true, force: true });
});

async function start(scenario: Scenario): Promise<ForgeServer> {
  for (const [path, text] of Object.entries(scenario.files)) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), text);
  }
  server = await startForgeApi(scenario.flavor, {
    owner: 'acme',
    repo: 'app',
    number: 7,
    files: [],
    contents: {},
    comments: [],
    token: TOKEN,
    ...scenario.state,
  });
  return server;
}

function run(scenario: Scenario, inputs: Record<string, string>) {
  const event = scenario.event ?? 'pull_request';
  const payload = join(workspace, '..', `${event}-${scenario.flavor}-${process.pid}.json`);
  const fixture = `${scenario.forge ?? scenario.flavor}-${event}.json`;
  cpSync(join(EVENTS, fixture), payload);
  const forgeEnv =
    scenario.forge === 'forgejo'
      ? { FORGEJO_ACTIONS: 'true', GITEA_ACTIONS: 'true' }
      : scenario.forge === 'gitea'
        ? { GITEA_ACTIONS: 'true' }
        : {};
  return runAction(
    { mode: 'lint', ...inputs },
    {
      githubToken: TOKEN,
      cwd: workspace,
      env: {
        GITHUB_ACTIONS: 'true',
        ...forgeEnv,
        GITHUB_EVENT_NAME: event,
        GITHUB_EVENT_PATH: payload,
        GITHUB_REPOSITORY: 'acme/app',
        GITHUB_WORKSPACE: workspace,
        GITHUB_API_URL: server!.apiUrl,
        GITHUB_SERVER_URL: server!.serverUrl,
      },
    },
  ).finally(() => rmSync(payload, { force: true }));
}

const findingsOf = (outputs: Record<string, string>) =>
  (JSON.parse(outputs.findings) as { findings: { file: string; line: number; rule: string }[] }).findings;

describe.each([
  ['GitHub', { flavor: 'github' as const }, 'blob'],
  ['Gitea', { flavor: 'gitea' as const, forge: 'gitea' as const }, 'src/commit'],
  ['Forgejo', { flavor: 'gitea' as const, forge: 'forgejo' as const }, 'src/commit'],
])('a pull request on %s that adds a single-platform push', (_, forge, view) => {
  it('gets one comment with the finding, updated in place, and "no findings" once fixed', async () => {
    const scenario: Scenario = {
      ...forge,
      files: { '.github/workflows/release.yml': RELEASE, '.github/workflows/nightly.yml': NIGHTLY },
      state: {
        files: [{ filename: '.github/workflows/release.yml', status: 'added', patch: added(RELEASE) }],
      },
    };
    const api = await start(scenario);

    const first = await run(scenario, { comment: 'true', 'only-changed': 'true' });
    expect(first.code).toBe(1);
    expect(findingsOf(first.outputs)).toEqual([
      expect.objectContaining({
        file: '.github/workflows/release.yml',
        line: 8,
        rule: 'single-platform-attestations',
      }),
    ]);
    expect(api.state.comments).toHaveLength(1);
    const [comment] = api.state.comments;
    expect(comment.body.startsWith('<!-- buildx-guard:lint -->\n')).toBe(true);
    expect(comment.body).toContain('❌ **Fails**');
    expect(comment.body).toContain(
      `](${api.serverUrl}/acme/app/${view}/${HEAD}/.github/workflows/release.yml#L8)`,
    );
    expect(comment.body).toMatch(
      /\[`single-platform-attestations`\]\(https:\/\/github\.com\/buildx-guard\/buildx-guard\/blob\/v[^/]+\/docs\/rules\/single-platform-attestations\.md\)/,
    );
    expect(comment.body).not.toContain('nightly.yml');
    // Every request carried the token, and only the endpoints of the issue.
    expect(api.requests.every((request) => request.authorization === `token ${TOKEN}`)).toBe(true);
    const prefix = forge.flavor === 'github' ? '' : '/api/v1';
    const paths = new Set(api.requests.map((request) => `${request.method} ${request.url.split('?')[0]}`));
    expect([...paths].sort()).toEqual(
      [
        `GET ${prefix}/repos/acme/app/contents/.github/buildx-guard.yml`,
        `GET ${prefix}/repos/acme/app/issues/7/comments`,
        `GET ${prefix}/repos/acme/app/pulls/7/files`,
        `POST ${prefix}/repos/acme/app/issues/7/comments`,
        ...(forge.flavor === 'gitea' ? [`GET ${prefix}/repos/acme/app/pulls/7.diff`] : []),
      ].sort(),
    );

    // Run again on the same head: the same comment, not a second one.
    const again = await run(scenario, { comment: 'true', 'only-changed': 'true' });
    expect(again.code).toBe(1);
    expect(api.state.comments).toHaveLength(1);

    // The PR is fixed: the comment says so, still one comment, updated with PATCH.
    writeFileSync(join(workspace, '.github/workflows/release.yml'), RELEASE_FIXED);
    api.state.files = [
      { filename: '.github/workflows/release.yml', status: 'added', patch: added(RELEASE_FIXED) },
    ];
    const fixed = await run(scenario, { comment: 'true', 'only-changed': 'true' });
    expect(fixed.code).toBe(0);
    expect(api.state.comments).toHaveLength(1);
    expect(api.state.comments[0].id).toBe(comment.id);
    expect(api.state.comments[0].body).toContain(
      '✅ **No findings** in the files this pull request changes.',
    );
    expect(api.requests.filter((request) => request.method === 'PATCH')).toHaveLength(1);
  });
});

describe('new-findings-only', () => {
  const files = { '.github/workflows/release.yml': RELEASE, '.github/workflows/nightly.yml': NIGHTLY };

  it('passes a pull request that does not touch an existing finding, and still reports it', async () => {
    const scenario: Scenario = {
      flavor: 'github',
      files: { ...files, 'README.md': '# app\n' },
      state: { files: [{ filename: 'README.md', patch: '@@ -1 +1 @@\n-# App\n+# app' }] },
    };
    await start(scenario);
    const result = await run(scenario, { 'new-findings-only': 'true' });
    expect(result.code).toBe(0);
    expect(findingsOf(result.outputs).map((finding) => finding.file)).toEqual([
      '.github/workflows/nightly.yml',
      '.github/workflows/release.yml',
    ]);
  });

  it('fails a pull request that adds one, on that finding only', async () => {
    const scenario: Scenario = {
      flavor: 'github',
      files,
      state: {
        files: [{ filename: '.github/workflows/release.yml', status: 'added', patch: added(RELEASE) }],
      },
    };
    await start(scenario);
    const result = await run(scenario, { 'new-findings-only': 'true' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::Lint: 1 finding (1 error) that the pull request adds or changes',
    );
    // Changed files first: the new finding is the first annotation.
    expect(result.stdout.indexOf('release.yml')).toBeLessThan(result.stdout.indexOf('nightly.yml'));
  });

  it('counts a change on any line of a step: turning push on below an unchanged uses: line', async () => {
    const scenario: Scenario = {
      flavor: 'github',
      files,
      state: {
        files: [
          {
            filename: '.github/workflows/release.yml',
            patch:
              '@@ -9,3 +9,3 @@\n         with:\n-          push: false\n+          push: true\n           tags: ghcr.io/acme/app:latest',
          },
        ],
      },
    };
    await start(scenario);
    expect((await run(scenario, { 'new-findings-only': 'true' })).code).toBe(1);
  });
});

describe('only-changed and the cross-file rules', () => {
  it('reports a merge in an unchanged file on the changed step that now pushes its source as an index', async () => {
    const push =
      'on: push\njobs:\n  amd64:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker buildx build --push -t ghcr.io/acme/app:amd64 .\n';
    const merge =
      'on: push\njobs:\n  merge:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n' +
      '          docker manifest create ghcr.io/acme/app:latest ghcr.io/acme/app:amd64\n' +
      '          docker manifest push ghcr.io/acme/app:latest\n';
    const scenario: Scenario = {
      flavor: 'github',
      files: { '.github/workflows/push.yml': push, '.github/workflows/merge.yml': merge },
      state: { files: [{ filename: '.github/workflows/push.yml', status: 'added', patch: added(push) }] },
    };
    await start(scenario);
    const result = await run(scenario, { 'only-changed': 'true', 'new-findings-only': 'true' });
    expect(result.code).toBe(1);
    const findings = findingsOf(result.outputs) as {
      file: string;
      line: number;
      rule: string;
      message: string;
    }[];
    expect(findings.map(({ file, line, rule }) => ({ file, line, rule }))).toEqual([
      { file: '.github/workflows/push.yml', line: 6, rule: 'manifest-merge-of-index' },
      { file: '.github/workflows/push.yml', line: 6, rule: 'single-platform-attestations' },
    ]);
    expect(findings[0].message).toMatch(
      /^\.github\/workflows\/merge\.yml:7: `docker manifest create` will fail/,
    );
    expect(Object.keys(findings[0])).toEqual(['file', 'line', 'column', 'rule', 'severity', 'message']);
  });
});

describe('the policy file in a pull request', () => {
  const policy = 'rules:\n  single-platform-attestations: off\n';

  it('is read from the base branch: a PR that disables a rule still gets its findings, and a note', async () => {
    const scenario: Scenario = {
      flavor: 'github',
      files: { '.github/workflows/release.yml': RELEASE, '.github/buildx-guard.yml': policy },
      state: {
        files: [
          { filename: '.github/workflows/release.yml', status: 'added', patch: added(RELEASE) },
          { filename: '.github/buildx-guard.yml', status: 'added', patch: added(policy) },
        ],
      },
    };
    const api = await start(scenario);
    const result = await run(scenario, { comment: 'true' });
    expect(result.code).toBe(1);
    expect(findingsOf(result.outputs).map((finding) => finding.rule)).toEqual([
      'single-platform-attestations',
    ]);
    expect(api.state.comments[0].body).toContain(
      'Rule `single-platform-attestations`: off (the base branch has its default severity).',
    );
    expect(
      api.requests.some((request) => request.url.includes(`/contents/.github/buildx-guard.yml?ref=${BASE}`)),
    ).toBe(true);
  });

  it("comes from the checkout's history when it holds the base commit, with no API call for it", async () => {
    const scenario: Scenario = {
      flavor: 'github',
      files: { '.github/buildx-guard.yml': 'rules:\n  single-platform-attestations: warning\n' },
      state: {
        files: [{ filename: '.github/workflows/release.yml', status: 'added', patch: added(RELEASE) }],
      },
    };
    const api = await start(scenario);
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', workspace, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
        encoding: 'utf8',
      }).trim();
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
    const base = git('rev-parse', 'HEAD');
    writeFileSync(
      join(workspace, '.github/buildx-guard.yml'),
      'rules:\n  single-platform-attestations: off\n',
    );
    mkdirSync(join(workspace, '.github/workflows'), { recursive: true });
    writeFileSync(join(workspace, '.github/workflows/release.yml'), RELEASE);
    const event = JSON.parse(readFileSync(join(EVENTS, 'github-pull_request.json'), 'utf8'));
    event.pull_request.base.sha = base;
    const payload = join(workspace, '..', `event-git-${process.pid}.json`);
    writeFileSync(payload, JSON.stringify(event));
    try {
      const result = await runAction(
        { mode: 'lint' },
        {
          githubToken: TOKEN,
          cwd: workspace,
          env: {
            GITHUB_ACTIONS: 'true',
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: payload,
            GITHUB_REPOSITORY: 'acme/app',
            GITHUB_WORKSPACE: workspace,
            GITHUB_API_URL: api.apiUrl,
          },
        },
      );
      expect(result.code).toBe(0);
      expect(findingsOf(result.outputs)).toEqual([expect.objectContaining({ severity: 'warning' })]);
      expect(result.stdout).toContain(
        `Policy: .github/buildx-guard.yml as the base branch (${base.slice(0, 12)}) has it.`,
      );
      expect(api.requests.some((request) => request.url.includes('/contents/'))).toBe(false);
    } finally {
      rmSync(payload, { force: true });
    }
  });

  it("applies the base branch's own settings", async () => {
    const scenario: Scenario = {
      flavor: 'github',
      files: { '.github/workflows/release.yml': RELEASE },
      state: {
        files: [{ filename: '.github/workflows/release.yml', status: 'added', patch: added(RELEASE) }],
        contents: {
          [BASE]: { '.github/buildx-guard.yml': 'rules:\n  single-platform-attestations: warning\n' },
        },
      },
    };
    await start(scenario);
    const result = await run(scenario, {});
    expect(result.code).toBe(0);
    expect(findingsOf(result.outputs)).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });
});

describe('inline ignores the pull request adds', () => {
  it('are listed in the comment, with their reasons', async () => {
    const ignored = RELEASE.replace(
      '      - uses: docker/build-push-action@v6',
      '      # buildx-guard: ignore[single-platform-attestations] <b>trust</b> me @maintainers\n      - uses: docker/build-push-action@v6',
    );
    const scenario: Scenario = {
      flavor: 'github',
      files: { '.github/workflows/release.yml': ignored },
      state: {
        files: [
          {
            filename: '.github/workflows/release.yml',
            patch:
              '@@ -7,0 +8,1 @@\n+      # buildx-guard: ignore[single-platform-attestations] <b>trust</b> me @maintainers',
          },
        ],
      },
    };
    const api = await start(scenario);
    const result = await run(scenario, { comment: 'true' });
    expect(result.code).toBe(0);
    const body = api.state.comments[0].body;
    expect(body).toContain('✅ **No findings**.');
    expect(body).toContain(
      `- [.github/workflows/release.yml:8](${api.serverUrl}/acme/app/blob/${HEAD}/.github/workflows/release.yml#L8): ` +
        '`single-platform-attestations`: &lt;b&gt;trust&lt;/b&gt; me @\u200bmaintainers',
    );
  });
});

describe('what a forge refuses is a warning, never the failure', () => {
  it("a fork's read-only token (403 on the comment)", async () => {
    const scenario: Scenario = {
      flavor: 'github',
      event: 'pull_request_target',
      files: { '.github/workflows/release.yml': RELEASE_FIXED },
      state: {
        readOnly: true,
        files: [{ filename: '.github/workflows/release.yml', status: 'added', patch: added(RELEASE_FIXED) }],
      },
    };
    const api = await start(scenario);
    const result = await run(scenario, { comment: 'true' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /::warning::Could not write the comment on pull request #7 \(HTTP 403: Resource not accessible by integration\)/,
    );
    expect(api.state.comments).toHaveLength(0);
  });

  it('an event without a pull request: the whole repository, its own policy, no API call', async () => {
    const scenario: Scenario = { flavor: 'github', files: { '.github/workflows/release.yml': RELEASE } };
    const api = await start(scenario);
    const payload = join(workspace, 'event.json');
    writeFileSync(payload, JSON.stringify({ action: 'opened', repository: { full_name: 'acme/app' } }));
    const result = await runAction(
      { mode: 'lint', comment: 'true' },
      {
        githubToken: TOKEN,
        cwd: workspace,
        env: {
          GITHUB_ACTIONS: 'true',
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: payload,
          GITHUB_REPOSITORY: 'acme/app',
          GITHUB_WORKSPACE: workspace,
          GITHUB_API_URL: api.apiUrl,
        },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::warning::Not checking as a pull request: the pull_request event has no pull request in its payload',
    );
    expect(api.requests).toEqual([]);
  });
});

describe('outside pull requests', () => {
  it.each(['push', 'schedule', 'workflow_dispatch'])(
    '%s: the whole repository, no API call',
    async (event) => {
      const scenario: Scenario = {
        flavor: 'github',
        files: { '.github/workflows/release.yml': RELEASE, '.github/workflows/nightly.yml': NIGHTLY },
      };
      const api = await start(scenario);
      const payload = join(workspace, 'event.json');
      writeFileSync(payload, readFileSync(join(EVENTS, 'github-push.json')));
      const result = await runAction(
        { mode: 'lint', comment: 'true', 'only-changed': 'true', 'new-findings-only': 'true' },
        {
          githubToken: TOKEN,
          cwd: workspace,
          env: {
            GITHUB_ACTIONS: 'true',
            GITHUB_EVENT_NAME: event,
            GITHUB_EVENT_PATH: payload,
            GITHUB_REPOSITORY: 'acme/app',
            GITHUB_WORKSPACE: workspace,
            GITHUB_API_URL: api.apiUrl,
          },
        },
      );
      expect(result.code).toBe(1);
      expect(findingsOf(result.outputs)).toHaveLength(2);
      expect(result.stdout).toContain(
        `comment, only-changed, new-findings-only: ${event} event is not a pull request`,
      );
      expect(api.requests).toEqual([]);
    },
  );
});
