// The runner's image store, a fact of the verdict: with buildx's `docker` driver and with `docker push`, what
// reaches the registry is what the daemon's image store kept. The containerd image store (Docker Engine 29, on
// GitHub's hosted Ubuntu runners since February 2026) keeps the provenance attestation, so the push is an OCI
// index; the classic store (Docker 28 and older) drops it. GitHub-hosted `ubuntu-*` labels are known; any other
// runner is unknown unless the policy file's `image-store` says what it is.
import { Tri, unknown } from './tri';
import { expandMatrix, Matrix, Value } from './value';

export type ImageStore = 'containerd' | 'classic' | 'unknown';
export const IMAGE_STORES: readonly ImageStore[] = ['containerd', 'classic', 'unknown'];

/** The policy file's `image-store`: per runner label, and for every other runner. */
export interface ImageStorePolicy {
  labels: ReadonlyMap<string, ImageStore>;
  /** Runners that are neither named in `labels` nor GitHub-hosted (also composite actions' callers). */
  others?: ImageStore;
}

export const NO_IMAGE_STORE_POLICY: ImageStorePolicy = { labels: new Map() };

/** The runs-on labels of GitHub's hosted Ubuntu images (x64 and arm). */
const GITHUB_UBUNTU = /^ubuntu-(latest|\d\d\.\d\d)(-arm)?$/;

/** Where a job runs, as the workflow says. */
export interface JobRunner {
  /** The `runs-on` labels; undefined for a composite action (its caller's runner). */
  labels?: Value[];
  /** A `container:` job talks to whatever daemon its container reaches. */
  container: boolean;
  /** Whether the file is a GitHub workflow (`ubuntu-latest` on Gitea or Forgejo is whatever the admin mapped). */
  github: boolean;
}

/** How the policy's setting is named in notes. */
const STATE_IT = 'state it with `image-store` in the policy file';

/** Whether the daemon of the job's runner has the containerd image store. */
export function containerdStore(runner: JobRunner, matrix: Matrix, policy: ImageStorePolicy): Tri {
  if (runner.container) return unknown(`the image store of the daemon the job's \`container:\` uses`);
  if (!runner.labels) {
    return storeFact(policy.others, 'the image store of the runner that runs this action');
  }
  const expanded = runner.labels.map((label) => expandMatrix(label, matrix));
  const written = runner.labels.map((label) => label.text).join(', ');
  const unresolved = expanded.flatMap((label) => label.unresolved);
  if (unresolved.length > 0) {
    // Whatever it resolves to, a GitHub-hosted label or another runner, the store is containerd only if both are.
    return policy.others === 'containerd' && policy.labels.size === 0
      ? true
      : unknown(`the image store of runner \`${written}\` (${STATE_IT})`);
  }
  // Each label may take several values over the matrix; every combination of them is a runner.
  let combinations: string[][] = [[]];
  for (const label of expanded) {
    combinations = combinations.flatMap((labels) => label.texts.map((text) => [...labels, text.trim()]));
  }
  const stores = new Set(combinations.map((labels) => storeOf(labels, runner.github, policy)));
  const [store] = stores;
  if (stores.size === 1 && store !== 'unknown') return store === 'containerd';
  const named =
    combinations.length > 1 ? `${written}: ${combinations.map((c) => c.join(', ')).join('; ')}` : written;
  return unknown(`the image store of runner \`${named}\` (${STATE_IT})`);
}

function storeOf(labels: string[], github: boolean, policy: ImageStorePolicy): ImageStore {
  const stated = new Set(labels.flatMap((label) => policy.labels.get(label) ?? []));
  if (stated.size === 1) return [...stated][0];
  if (stated.size > 1) return 'unknown';
  if (github && labels.length === 1 && GITHUB_UBUNTU.test(labels[0])) return 'containerd';
  return policy.others ?? 'unknown';
}

function storeFact(store: ImageStore | undefined, what: string): Tri {
  if (store === 'containerd') return true;
  if (store === 'classic') return false;
  return unknown(`${what} (${STATE_IT})`);
}

/** What makes a job's daemon unknown from a step on: it sets up or reconfigures the daemon itself. */
export function reconfiguredDaemon(after: string): Tri {
  return unknown(`the image store of the daemon after ${after}`);
}
