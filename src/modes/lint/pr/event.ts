// The pull request a lint step runs for, from the event: GitHub's pull_request and pull_request_target, and the
// pull_request events of Gitea and Forgejo, whose payloads carry the same fields (number, base.sha, head.sha).
// Nothing here loads @actions/github: a step decides from GITHUB_EVENT_NAME alone whether to load it.
import type { Context } from '@actions/github/lib/context';

export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'] as const;

export interface PullRequest {
  event: string;
  owner: string;
  repo: string;
  number: number;
  baseSha: string;
  headSha: string;
  /** The forge's web address (links in the comment) and its API (GITHUB_API_URL, also set by Gitea and Forgejo). */
  serverUrl: string;
  apiUrl: string;
}

export function isPullRequestEvent(env: NodeJS.ProcessEnv = process.env): boolean {
  return (PULL_REQUEST_EVENTS as readonly string[]).includes(env.GITHUB_EVENT_NAME ?? '');
}

const SHA = /^([0-9a-f]{40}|[0-9a-f]{64})$/;
const NAME = /^[A-Za-z0-9_.-]+$/;

/** The pull request of the event, or why there is none (a sentence for the warning). */
export function pullRequestOf(
  context: Pick<Context, 'eventName' | 'payload' | 'serverUrl' | 'apiUrl'>,
  repository: string | undefined,
): PullRequest | string {
  const pull = context.payload.pull_request as
    { number?: unknown; base?: { sha?: unknown }; head?: { sha?: unknown } } | undefined;
  if (!pull) return `the ${context.eventName} event has no pull request in its payload`;
  const [owner, repo, ...rest] = (repository ?? '').split('/');
  const number = pull.number ?? context.payload.number;
  const baseSha = pull.base?.sha;
  const headSha = pull.head?.sha;
  if (rest.length > 0 || !NAME.test(owner ?? '') || !NAME.test(repo ?? '')) {
    return `GITHUB_REPOSITORY is "${repository ?? ''}", not owner/name`;
  }
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) {
    return `the event's pull request number is ${JSON.stringify(number)}`;
  }
  if (
    typeof baseSha !== 'string' ||
    !SHA.test(baseSha) ||
    typeof headSha !== 'string' ||
    !SHA.test(headSha)
  ) {
    return "the event's pull request has no base and head commit SHAs";
  }
  return {
    event: context.eventName,
    owner,
    repo,
    number,
    baseSha,
    headSha,
    serverUrl: context.serverUrl.replace(/\/+$/, ''),
    apiUrl: context.apiUrl.replace(/\/+$/, ''),
  };
}
