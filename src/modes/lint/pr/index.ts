// The pull-request check around lint mode, loaded (with @actions/github) only in pull-request events:
// the policy from the base branch, what the PR changes, what to report and fail on, and the PR comment.
// A forge that refuses (403, a fork's read-only token, the rate limit) costs a warning, never the check.
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import * as github from '@actions/github';
import { defaults } from '@actions/github/lib/utils';
import { CheckError, InputError } from '../../../core/errors';
import { detectForge, Forge } from '../../../core/output/forge';
import { Log } from '../../../core/output/log';
import { DEFAULT_LINT_POLICY, LintPolicy, loadLintPolicy, parseLintPolicy } from '../config';
import { Finding } from '../finding';
import { ignoreComments } from '../ignores';
import { LintInputs } from '../inputs';
import { readSource } from '../source';
import { describeApiError, ForgeApi } from './api';
import { Changes, spanAround, stepSpans, Span } from './changes';
import { AddedIgnore, commentBody } from './comment';
import { changedLines, splitDiff } from './diff';
import { PullRequest, pullRequestOf } from './event';
import { Focused, focusFindings } from './focus';
import { policyChanges, repositoryPath } from './policy';

export interface PullRequestCheck {
  pr: PullRequest;
  /** The base branch's policy (or the input's, when it lies outside the repository). */
  policy: LintPolicy;
  focus(findings: readonly Finding[]): Focused;
  /** Writes or updates the PR comment when the `comment` input asks for it. */
  report(focused: Focused, failed: boolean): Promise<void>;
}

export interface PullRequestOptions {
  inputs: LintInputs;
  root: string;
  log: Log;
  token: string;
  version: string;
  env?: NodeJS.ProcessEnv;
}

/** Undefined when the event holds no pull request after all (a warning says why). */
export async function startPullRequestCheck(
  options: PullRequestOptions,
): Promise<PullRequestCheck | undefined> {
  const { inputs, root, log } = options;
  const env = options.env ?? process.env;
  const found = pullRequestOf(github.context, env.GITHUB_REPOSITORY);
  if (typeof found === 'string') {
    log.warning(
      `Not checking as a pull request: ${found}. Linting the whole repository with its own policy file.`,
    );
    return undefined;
  }
  const pr = found;
  const forge = detectForge(env);
  if (options.token) log.secret(options.token);
  const token = options.token;
  const api = token ? new ForgeApi(() => octokit(token, pr.apiUrl), pr) : undefined;
  if (!api) log.warning('github-token is empty: the pull request cannot be read through the API.');

  const { policy, notes } = await basePolicy(inputs, root, pr, api, log);
  const changes = api ? await readChanges(api, forge, log) : undefined;
  const spans = new Map<string, Span[]>();
  const spanOf = (file: string, line: number) => {
    let ofFile = spans.get(file);
    if (!ofFile) {
      const text = readInside(root, file);
      ofFile = text === undefined ? [] : stepSpans(text);
      spans.set(file, ofFile);
    }
    return spanAround(ofFile, line);
  };

  return {
    pr,
    policy,
    focus: (findings) =>
      changes
        ? focusFindings(findings, changes, spanOf, inputs)
        : { reported: [...findings], failing: [...findings], isNew: () => true },
    async report(focused, failed) {
      if (!inputs.comment) return;
      if (!api) {
        log.warning('comment: true needs github-token; no pull-request comment was written.');
        return;
      }
      const body = commentBody({
        pr,
        forge,
        version: options.version,
        options: { ...inputs },
        findings: focused.reported,
        failing: focused.failing,
        failed,
        isNew: focused.isNew,
        ignores: changes ? addedIgnores(root, changes) : [],
        policyNotes: notes,
      });
      try {
        const result = await api.upsertComment(body);
        log.info(`Pull request #${pr.number}: comment ${result}.`);
      } catch (error) {
        log.warning(
          `Could not write the comment on pull request #${pr.number} (${describeApiError(error)}). ` +
            'Give the job `permissions: pull-requests: write` (GitHub; a pull request from a fork gets a read-only ' +
            'token, so no comment there), or a token that may comment (Gitea, Forgejo). The check itself is unaffected.',
        );
      }
    },
  };
}

/** Each API operation (every page of a list, or a lookup and its write) within a minute. */
const API_TIMEOUT_MS = 60_000;

/**
 * @actions/github's octokit for this forge's API. Its own request options (the proxy-aware fetch that honours
 * HTTP(S)_PROXY and NO_PROXY) are kept: octokit replaces `request` whole when given one.
 */
function octokit(token: string, baseUrl: string) {
  return github.getOctokit(token, {
    baseUrl,
    request: { ...defaults.request, signal: AbortSignal.timeout(API_TIMEOUT_MS) },
  });
}

/** The files and lines the PR changes, or undefined (with a warning) when the forge will not say. */
async function readChanges(api: ForgeApi, forge: Forge, log: Log): Promise<Changes | undefined> {
  try {
    const files = (await api.changedFiles()).filter((file) => file.status !== 'removed');
    const patches =
      files.every((file) => file.patch !== undefined) || forge === 'github'
        ? undefined
        : splitDiff(await api.pullDiff());
    const changed = new Map<string, ReadonlySet<number> | 'all'>();
    for (const file of files) {
      const patch = file.patch ?? patches?.get(file.filename);
      // Without its patch (binary, too large), every line of the file counts as changed.
      changed.set(file.filename, patch === undefined ? 'all' : changedLines(patch));
    }
    return { files: changed };
  } catch (error) {
    log.warning(
      `Could not list the files this pull request changes (${describeApiError(error)}): ` +
        'reporting every finding and failing on each, as outside pull requests.',
    );
    return undefined;
  }
}

/**
 * The policy as the base branch has it: from the checkout's history when it holds the base commit, else
 * through the contents API. A policy file outside the repository is the user's own and read as it is.
 */
async function basePolicy(
  inputs: LintInputs,
  root: string,
  pr: PullRequest,
  api: ForgeApi | undefined,
  log: Log,
): Promise<{ policy: LintPolicy; notes: string[] }> {
  const path = repositoryPath(root, inputs.policyFile);
  const own = () => loadLintPolicy(inputs.policyFile, { root, explicit: inputs.policyFileExplicit });
  if (path === undefined) return { policy: own(), notes: [] };

  let text = gitShow(root, pr.baseSha, path);
  if (text === undefined && api) {
    try {
      text = (await api.fileAt(path, pr.baseSha)) ?? null;
    } catch (error) {
      throw new CheckError(
        `Could not read the policy file ${path} of the base branch (${pr.baseSha.slice(0, 12)}): ${describeApiError(error)}. ` +
          "A pull request is checked with the base branch's policy, so that it cannot switch its own check off: " +
          'give the token contents: read, or check out with fetch-depth: 0.',
      );
    }
  }
  if (text === undefined) {
    throw new CheckError(
      `Could not read the policy file ${path} of the base branch (${pr.baseSha.slice(0, 12)}): the checkout does not hold ` +
        'that commit and github-token is empty. Check out with fetch-depth: 0, or set github-token.',
    );
  }
  const policy = text === null ? { ...DEFAULT_LINT_POLICY } : parseLintPolicy(text, `${path} (base branch)`);
  if (text === null) log.info(`The base branch has no ${path}: the default policy applies.`);
  else log.info(`Policy: ${path} as the base branch (${pr.baseSha.slice(0, 12)}) has it.`);

  let head: LintPolicy | { invalid: string };
  try {
    head = loadLintPolicy(inputs.policyFile, { root, explicit: false });
  } catch (error) {
    head = { invalid: error instanceof InputError ? error.message : String(error) };
  }
  const notes = policyChanges(policy, head);
  if (notes.length > 0)
    log.warning(`This pull request changes ${path}; that takes effect only after merge: ${notes.join(' ')}`);
  return { policy, notes };
}

/** `git show <sha>:<path>`: the text, null when the commit has no such file, undefined when git cannot say. */
function gitShow(root: string, sha: string, path: string): string | null | undefined {
  const run = (args: string[]) =>
    spawnSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      timeout: 10_000,
      maxBuffer: 4 * 1024 * 1024,
    });
  if (run(['cat-file', '-e', `${sha}^{commit}`]).status !== 0) return undefined;
  const shown = run(['show', `${sha}:${path}`]);
  if (shown.status === 0) return shown.stdout;
  return run(['cat-file', '-e', `${sha}:${path}`]).status === 0 ? undefined : null;
}

/** The ignore comments on lines the PR adds, in changed YAML files. */
function addedIgnores(root: string, changes: Changes): AddedIgnore[] {
  const added: AddedIgnore[] = [];
  for (const [file, lines] of changes.files) {
    if (!/\.ya?ml$/.test(file)) continue;
    const text = readInside(root, file);
    if (text === undefined) continue;
    for (const ignore of ignoreComments(text)) {
      if (lines === 'all' || lines.has(ignore.line)) added.push({ file, ...ignore });
    }
  }
  return added;
}

/** A repository file's text, never following a link out of the repository. */
function readInside(root: string, file: string): string | undefined {
  try {
    const real = realpathSync(resolve(root, file));
    const top = realpathSync(root);
    if (real !== top && !real.startsWith(top + sep)) return undefined;
    const source = readSource(real);
    return 'text' in source ? source.text : undefined;
  } catch {
    return undefined;
  }
}
