// The keep-set of a repository as it is now: every digest any of its tags reaches.
import { AuthTarget } from '../registry/auth';
import { FetchedManifest } from '../registry/client';
import { CheckError } from '../errors';
import { Limiter } from '../verification/limit';
import { RegistryReader } from '../verification/walk';
import { keepSet, reachableFrom } from './reachable';

export interface TagLister {
  listTags(target: AuthTarget): Promise<string[]>;
}

/**
 * Reads every tag afresh. `instead` stands in for some tags' manifests (what they will serve after a planned
 * re-point, for a dry run). A tag that vanishes while being read is an error: a keep-set with a hole in it
 * could delete what that tag reaches.
 */
export async function repositoryKeepSet(
  lister: TagLister,
  reader: RegistryReader,
  target: AuthTarget,
  limit: Limiter,
  instead: Map<string, FetchedManifest> = new Map(),
): Promise<Set<string>> {
  const tags = await limit(() => lister.listTags(target));
  const reached = await Promise.all(
    tags.map(async (tag) => {
      const top = instead.get(tag) ?? (await limit(() => reader.getManifest(target, tag)));
      if (!top) {
        throw new CheckError(
          `${target.registry}/${target.repository}:${tag} is listed but cannot be read: the keep-set would be incomplete.`,
        );
      }
      return reachableFrom(reader, target, top, limit);
    }),
  );
  return new Set(keepSet(reached));
}
