// The pull request of an event, read through @actions/github's Context from the payload fixtures, as a runner
// writes them to GITHUB_EVENT_PATH.
import { join } from 'node:path';
import { Context } from '@actions/github/lib/context';
import { isPullRequestEvent, pullRequestOf } from '../../../src/modes/lint/pr/event';

const EVENTS = join(__dirname, '..', '..', 'fixtures', 'events');

function contextFor(event: string, fixture: string, urls: { server?: string; api?: string } = {}): Context {
  const saved = { ...process.env };
  try {
    process.env.GITHUB_EVENT_NAME = event;
    process.env.GITHUB_EVENT_PATH = join(EVENTS, fixture);
    if (urls.server) process.env.GITHUB_SERVER_URL = urls.server;
    else delete process.env.GITHUB_SERVER_URL;
    if (urls.api) process.env.GITHUB_API_URL = urls.api;
    else delete process.env.GITHUB_API_URL;
    return new Context();
  } finally {
    process.env = saved;
  }
}

const expected = {
  owner: 'acme',
  repo: 'app',
  number: 7,
  baseSha: '1'.repeat(40),
  headSha: '2'.repeat(40),
};

describe('pullRequestOf', () => {
  it.each([
    [
      'GitHub pull_request',
      'pull_request',
      'github-pull_request.json',
      {},
      'https://github.com',
      'https://api.github.com',
    ],
    [
      'GitHub pull_request_target (from a fork)',
      'pull_request_target',
      'github-pull_request_target.json',
      {},
      'https://github.com',
      'https://api.github.com',
    ],
    [
      'Gitea pull_request',
      'pull_request',
      'gitea-pull_request.json',
      { server: 'https://gitea.example/', api: 'https://gitea.example/api/v1' },
      'https://gitea.example',
      'https://gitea.example/api/v1',
    ],
    [
      'Forgejo pull_request',
      'pull_request',
      'forgejo-pull_request.json',
      { server: 'https://code.example', api: 'https://code.example/api/v1/' },
      'https://code.example',
      'https://code.example/api/v1',
    ],
  ])('%s', (_, event, fixture, urls, serverUrl, apiUrl) => {
    expect(pullRequestOf(contextFor(event, fixture, urls), 'acme/app')).toEqual({
      ...expected,
      event,
      serverUrl,
      apiUrl,
    });
  });

  it('says why there is no pull request', () => {
    expect(pullRequestOf(contextFor('pull_request', 'github-push.json'), 'acme/app')).toBe(
      'the pull_request event has no pull request in its payload',
    );
    expect(pullRequestOf(contextFor('pull_request', 'github-pull_request.json'), 'acme')).toBe(
      'GITHUB_REPOSITORY is "acme", not owner/name',
    );
  });

  it('refuses SHAs and numbers that are not what a forge sends', () => {
    const context = contextFor('pull_request', 'github-pull_request.json');
    const pull = context.payload.pull_request as unknown as { number: unknown; head: { sha: string } };
    pull.head.sha = '../../x';
    expect(pullRequestOf(context, 'acme/app')).toBe(
      "the event's pull request has no base and head commit SHAs",
    );
    pull.number = '7; rm';
    expect(pullRequestOf(context, 'acme/app')).toBe('the event\'s pull request number is "7; rm"');
  });
});

describe('isPullRequestEvent', () => {
  it.each([
    ['pull_request', true],
    ['pull_request_target', true],
    ['push', false],
    ['schedule', false],
    ['workflow_dispatch', false],
    [undefined, false],
  ])('%s → %s', (event, expected) => {
    expect(isPullRequestEvent({ GITHUB_EVENT_NAME: event })).toBe(expected);
  });
});
