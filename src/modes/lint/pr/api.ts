// The few forge API calls a pull-request check makes, through @actions/github's octokit against GITHUB_API_URL.
// GitHub, Gitea and Forgejo share these paths (Gitea's API mirrors GitHub's for them); where Gitea differs
// (no `patch` in the files list) it is said below. Every answer is untrusted: only the fields used are read,
// each checked for its type.
import type { getOctokit } from '@actions/github';
import { PullRequest } from './event';
import { COMMENT_MARKER } from './comment';

type Octokit = ReturnType<typeof getOctokit>;

/** Bounds on what one run fetches: GitHub lists at most 3,000 files of a PR; a comment list this long is abuse. */
export const API_LIMITS = { filePages: 40, commentPages: 40, perPage: 100, diffBytes: 8 * 1024 * 1024 };

export interface ChangedFile {
  filename: string;
  status: string;
  /** The file's hunks; GitHub leaves it out for binary and very large diffs, Gitea always. */
  patch?: string;
}

export type CommentResult = 'created' | 'updated' | 'unchanged';

export class ForgeApi {
  /** `client()` gives an octokit for one operation (each has its own time bound, see index.ts). */
  constructor(
    private readonly client: () => Octokit,
    private readonly pr: PullRequest,
  ) {}

  private get params() {
    return { owner: this.pr.owner, repo: this.pr.repo };
  }

  /** GET /repos/{owner}/{repo}/pulls/{number}/files, every page (Link rel="next"), within API_LIMITS. */
  async changedFiles(): Promise<ChangedFile[]> {
    const files: ChangedFile[] = [];
    let pages = 0;
    const iterator = this.client().paginate.iterator('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
      ...this.params,
      pull_number: this.pr.number,
      per_page: API_LIMITS.perPage,
    });
    for await (const page of iterator) {
      if (++pages > API_LIMITS.filePages)
        throw new Error(`more than ${API_LIMITS.filePages} pages of changed files`);
      for (const item of page.data as unknown[]) {
        const file = item as { filename?: unknown; status?: unknown; patch?: unknown };
        if (typeof file.filename !== 'string') continue;
        files.push({
          filename: file.filename,
          status: typeof file.status === 'string' ? file.status : 'modified',
          patch: typeof file.patch === 'string' ? file.patch : undefined,
        });
      }
    }
    return files;
  }

  /** Gitea and Forgejo: GET /repos/{owner}/{repo}/pulls/{number}.diff, the whole diff as text. */
  async pullDiff(): Promise<string> {
    const response = await this.client().request('GET /repos/{owner}/{repo}/pulls/{pull_number}.diff', {
      ...this.params,
      pull_number: this.pr.number,
      headers: { accept: 'text/plain' },
    });
    const text = typeof response.data === 'string' ? response.data : '';
    if (Buffer.byteLength(text) > API_LIMITS.diffBytes) throw new Error('the diff is too large to read');
    return text;
  }

  /** A file's text at a commit (GET /repos/{owner}/{repo}/contents/{path}?ref=…), or undefined when absent. */
  async fileAt(path: string, ref: string): Promise<string | undefined> {
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    try {
      const response = await this.client().request(`GET /repos/{owner}/{repo}/contents/${encoded}`, {
        ...this.params,
        ref,
      });
      const data = response.data as { type?: unknown; encoding?: unknown; content?: unknown };
      if (data.type !== 'file' || data.encoding !== 'base64' || typeof data.content !== 'string') {
        throw new Error(`the contents API did not return ${path} as a base64 file`);
      }
      return Buffer.from(data.content, 'base64').toString('utf8');
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * Creates the PR's comment, or updates the one this step wrote before: a comment whose body starts with
   * COMMENT_MARKER (GET /repos/{owner}/{repo}/issues/{number}/comments). Anyone can write the marker, so the
   * candidates are tried in turn, a Bot's first (GitHub says which users are bots), then the newest; the forge
   * refuses to let the token edit someone else's. Same paths on GitHub, Gitea and Forgejo.
   */
  async upsertComment(body: string): Promise<CommentResult> {
    const octokit = this.client();
    for (const candidate of (await this.markedComments(octokit)).slice(0, MAX_UPDATE_TRIES)) {
      if (candidate.body === body) return 'unchanged';
      try {
        await octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
          ...this.params,
          comment_id: candidate.id,
          body,
        });
        return 'updated';
      } catch (error) {
        if (statusOf(error) !== 403 && statusOf(error) !== 404) throw error;
      }
    }
    await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...this.params,
      issue_number: this.pr.number,
      body,
    });
    return 'created';
  }

  private async markedComments(octokit: Octokit): Promise<{ id: number; body: string }[]> {
    const found: { id: number; body: string; bot: boolean }[] = [];
    let pages = 0;
    const iterator = octokit.paginate.iterator('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...this.params,
      issue_number: this.pr.number,
      per_page: API_LIMITS.perPage,
    });
    for await (const page of iterator) {
      if (++pages > API_LIMITS.commentPages) break;
      for (const item of page.data as unknown[]) {
        const comment = item as { id?: unknown; body?: unknown; user?: { type?: unknown } | null };
        if (typeof comment.id !== 'number' || typeof comment.body !== 'string') continue;
        if (!comment.body.startsWith(COMMENT_MARKER)) continue;
        found.push({ id: comment.id, body: comment.body, bot: comment.user?.type === 'Bot' });
      }
    }
    return [...found.filter((c) => c.bot).reverse(), ...found.filter((c) => !c.bot).reverse()];
  }
}

/** Marked comments the token may not edit are skipped; past this many, a new comment is written. */
const MAX_UPDATE_TRIES = 5;

/** The HTTP status of an octokit error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * What went wrong, for a warning: the status, whether it is the rate limit, and the API's own message cut
 * to one short line (it is the forge's text, so it is shown, not trusted).
 */
export function describeApiError(error: unknown): string {
  const status = statusOf(error);
  const response = (error as { response?: { headers?: Record<string, unknown>; data?: unknown } } | null)
    ?.response;
  const headers = response?.headers ?? {};
  const rateLimited =
    status === 429 || (status === 403 && String(headers['x-ratelimit-remaining'] ?? '') === '0');
  const apiMessage = (response?.data as { message?: unknown } | undefined)?.message;
  const text =
    typeof apiMessage === 'string' ? apiMessage : error instanceof Error ? error.message : String(error);
  const short = text
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ')
    .trim()
    .slice(0, 160);
  if (rateLimited) return `HTTP ${status}, the API rate limit is spent${short ? `: ${short}` : ''}`;
  return status ? `HTTP ${status}${short ? `: ${short}` : ''}` : short;
}
