import { Finding } from '../../../src/modes/lint/finding';
import {
  COMMENT_MARKER,
  COMMENT_MAX_CHARS,
  COMMENT_ROW_LIMIT,
  CommentInput,
  commentBody,
} from '../../../src/modes/lint/pr/comment';
import { PullRequest } from '../../../src/modes/lint/pr/event';
import { markdownMessage, markdownText, markdownUrl, urlPath } from '../../../src/modes/lint/pr/markdown';

describe('markdownText: repository text is never markup', () => {
  it.each([
    ['a link', '[click](https://evil.example)', '\\[click\\](https://evil.example)'],
    ['an image', '![x](https://evil.example/t.png)', '!\\[x\\](https://evil.example/t.png)'],
    ['HTML', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['an entity', '&lt;', '&amp;lt;'],
    ['emphasis and code', '*a* _b_ `c` ~~d~~', '\\*a\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~'],
    ['a table pipe', 'a | b', 'a \\| b'],
    ['a backslash', 'a\\', 'a\\\\'],
    ['a mention', '@octocat', '@\u200boctocat'],
    ['a new line (a new row or paragraph)', 'a\n\n| x |', 'a \\| x \\|'],
    ['control characters and bidi overrides', 'a\x1b[31mb\u202ec', 'a\ufffd\\[31mb\ufffdc'],
  ])('%s', (_, text, expected) => {
    expect(markdownText(text)).toBe(expected);
  });
});

describe('markdownMessage', () => {
  it.each([
    ['code spans stay code', 'add `provenance: false` to it', 'add `provenance: false` to it'],
    ['markup inside a code span is literal already', 'merges `<b>@x</b>`', 'merges `<b>@x</b>`'],
    ['a pipe inside a code span is escaped for the table', 'tag `a|b`', 'tag `a\\|b`'],
    ['an unmatched backtick is text', 'a `b', 'a \\`b'],
    ['outside code spans, markdownText', '[x](y) `z`', '\\[x\\](y) `z`'],
  ])('%s', (_, text, expected) => {
    expect(markdownMessage(text)).toBe(expected);
  });
});

describe('link destinations', () => {
  it('encode what could end the destination or the text', () => {
    expect(urlPath('.github/workflows/a b#(x).yml')).toBe('.github/workflows/a%20b%23(x).yml');
    expect(markdownUrl('https://forge/x/a%20b%23(x).yml#L3')).toBe('https://forge/x/a%20b%23%28x%29.yml#L3');
  });
});

const pr: PullRequest = {
  event: 'pull_request',
  owner: 'acme',
  repo: 'app',
  number: 7,
  baseSha: '1'.repeat(40),
  headSha: '2'.repeat(40),
  serverUrl: 'https://forge.example',
  apiUrl: 'https://forge.example/api/v1',
};
const finding = (extra: Partial<Finding> = {}): Finding => ({
  file: '.github/workflows/release.yml',
  line: 8,
  column: 15,
  rule: 'single-platform-attestations',
  severity: 'error',
  message: 'pushes `ghcr.io/acme/app:latest`',
  ...extra,
});
const input = (extra: Partial<CommentInput> = {}): CommentInput => ({
  pr,
  forge: 'github',
  version: '1.2.3',
  options: { onlyChanged: false, newFindingsOnly: false, failOn: 'error' },
  findings: [finding()],
  failing: [finding()],
  failed: true,
  isNew: () => true,
  ignores: [],
  policyNotes: [],
  ...extra,
});

describe('commentBody', () => {
  it('starts with the marker, gives the verdict, and links the line at the head and the rule page', () => {
    const body = commentBody(input());
    expect(body.split('\n')[0]).toBe(COMMENT_MARKER);
    expect(body).toContain('❌ **Fails**: 1 finding (1 error) (fail-on: error)');
    expect(body).toContain(
      `| error (new) | [.github/workflows/release.yml:8](https://forge.example/acme/app/blob/${pr.headSha}/.github/workflows/release.yml#L8) | ` +
        '[`single-platform-attestations`](https://github.com/buildx-guard/buildx-guard/blob/v1.2.3/docs/rules/single-platform-attestations.md) | ' +
        'pushes `ghcr.io/acme/app:latest` |',
    );
  });

  it('links to /src/commit/ on Gitea and Forgejo', () => {
    for (const forge of ['gitea', 'forgejo'] as const) {
      expect(commentBody(input({ forge }))).toContain(
        `/acme/app/src/commit/${pr.headSha}/.github/workflows/release.yml#L8`,
      );
    }
  });

  it('says "no findings" when there are none, and passes with findings under the threshold', () => {
    expect(commentBody(input({ findings: [], failing: [], failed: false }))).toContain('✅ **No findings**.');
    const passing = commentBody(
      input({
        findings: [finding()],
        failing: [],
        failed: false,
        isNew: () => false,
        options: { onlyChanged: true, newFindingsOnly: true, failOn: 'error' },
      }),
    );
    expect(passing).toContain(
      '✅ **Passes**: 1 finding (1 error) in the files this pull request changes, but none that this pull request adds or changes is at or above the threshold (fail-on: error).',
    );
    expect(passing).toContain('| error | [');
  });

  it('lists the ignore comments the PR adds and the policy changes, neutralised', () => {
    const body = commentBody(
      input({
        ignores: [
          {
            file: '.github/workflows/a.yml',
            line: 3,
            rules: ['single-platform-attestations'],
            reason: '[trust me](x) @boss',
          },
        ],
        policyNotes: ['ignore-paths adds `**`.', 'Rule x: <b>off</b>'],
      }),
    );
    expect(body).toContain(
      `- [.github/workflows/a.yml:3](https://forge.example/acme/app/blob/${pr.headSha}/.github/workflows/a.yml#L3): \`single-platform-attestations\`: \\[trust me\\](x) @\u200bboss`,
    );
    expect(body).toContain('- ignore-paths adds `**`.');
    expect(body).toContain('- Rule x: &lt;b&gt;off&lt;/b&gt;');
  });

  it('keeps a hostile file name inside its link text and its row', () => {
    const body = commentBody(input({ findings: [finding({ file: 'x](https://evil)|<b>\n.yml' })] }));
    const row = body.split('\n').find((line) => line.startsWith('| error'))!;
    expect(row).toContain('[x\\](https://evil)\\|&lt;b&gt; .yml:8](https://forge.example/acme/app/blob/');
    expect(row).toContain('/x%5D%28https%3A//evil%29%7C%3Cb%3E%0A.yml#L8)');
  });

  it('stays under the size GitHub accepts, with fewer rows, however long the messages', () => {
    const many = Array.from({ length: COMMENT_ROW_LIMIT }, (_, i) =>
      finding({ line: i + 1, message: '<'.repeat(2000) }),
    );
    const body = commentBody(
      input({ findings: many, failing: many, policyNotes: many.map(() => '<'.repeat(500)) }),
    );
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
    const rows = body.split('\n').filter((line) => line.startsWith('| error')).length;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(COMMENT_ROW_LIMIT);
    expect(body).toContain(`… and ${COMMENT_ROW_LIMIT - rows} more findings`);
    expect(body.trimEnd().endsWith('</sub>')).toBe(true);
  });

  it(`shows at most ${COMMENT_ROW_LIMIT} rows and counts the rest`, () => {
    const many = Array.from({ length: COMMENT_ROW_LIMIT + 5 }, (_, i) => finding({ line: i + 1 }));
    const body = commentBody(input({ findings: many, failing: many }));
    expect(body.split('\n').filter((line) => line.startsWith('| error'))).toHaveLength(COMMENT_ROW_LIMIT);
    expect(body).toContain('… and 5 more findings');
  });
});
