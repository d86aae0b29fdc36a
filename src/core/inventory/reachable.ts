// Everything a manifest reaches (children, nested indexes, configs, layers): the keep-set and the bloat totals.
import { AuthTarget } from '../registry/auth';
import { FetchedManifest } from '../registry/client';
import { parseJson } from '../registry/json';
import {
  blobDescriptors,
  classifyChild,
  classifyManifest,
  Descriptor,
  isIndexKind,
  readDescriptor,
} from '../verification/classify';
import { Limiter } from '../verification/limit';
import { RegistryReader } from '../verification/walk';

/** Nested indexes deeper than this are not followed (no builder makes more than one level). */
const MAX_DEPTH = 4;

export interface ReachedManifest {
  digest: string;
  /** The size the referring descriptor (or, for the top, the bytes) gives. */
  size: number;
  mediaType: string;
  present: boolean;
  /** An attestation manifest by its descriptor or its body. */
  attestation: boolean;
  /** The config and layer blobs, for an image manifest that was read. */
  blobs: Descriptor[];
}

export interface Reached {
  /** Every manifest reached, the top first; missing ones too (they are referenced, so a cleanup keeps them). */
  manifests: Map<string, ReachedManifest>;
  /** Every config and layer blob reached, with its size. */
  blobs: Map<string, number>;
}

/** Walks what `top` reaches in its repository, reading each manifest through `reader` (bounded by `limit`). */
export async function reachableFrom(
  reader: RegistryReader,
  target: AuthTarget,
  top: FetchedManifest,
  limit: Limiter,
): Promise<Reached> {
  const reached: Reached = { manifests: new Map(), blobs: new Map() };
  const visit = async (
    fetched: FetchedManifest | undefined,
    descriptor: Descriptor,
    depth: number,
  ): Promise<void> => {
    const entry: ReachedManifest = {
      digest: descriptor.digest,
      size: descriptor.size,
      mediaType: descriptor.mediaType,
      present: fetched !== undefined,
      attestation: false,
      blobs: [],
    };
    reached.manifests.set(descriptor.digest, entry);
    // Bytes that are not the manifest the descriptor names say nothing about what it reaches.
    const trusted = fetched !== undefined && fetched.digest === descriptor.digest;
    const body = trusted ? parseJson(fetched.bytes.toString('utf8')) : undefined;
    entry.attestation = depth > 0 && classifyChild(descriptor, body).kind === 'attestation';
    if (!trusted) return;
    const kind = classifyManifest(fetched.mediaType, body);
    if (isIndexKind(kind)) {
      if (depth === MAX_DEPTH) return;
      const walks: Promise<void>[] = [];
      for (const child of ((body as { manifests: unknown[] }).manifests ?? []).map(readDescriptor)) {
        // Claimed before the fetch, so a digest listed twice (or reached twice) is walked once.
        if (!child || reached.manifests.has(child.digest)) continue;
        reached.manifests.set(child.digest, { ...entry, digest: child.digest, present: false });
        walks.push(
          limit(() => reader.getManifest(target, child.digest)).then((served) =>
            visit(served, child, depth + 1),
          ),
        );
      }
      await Promise.all(walks);
    } else {
      entry.blobs = blobDescriptors(body);
      for (const blob of entry.blobs) reached.blobs.set(blob.digest, blob.size);
    }
  };
  await visit(top, { mediaType: top.mediaType, digest: top.digest, size: top.bytes.length }, 0);
  return reached;
}

/** The bytes attestations take: each attestation manifest and its blobs, every digest counted once. */
export function attestationBytes(reached: Iterable<Reached>): { count: number; bytes: number } {
  const manifests = new Map<string, number>();
  const blobs = new Map<string, number>();
  for (const { manifests: all } of reached) {
    for (const manifest of all.values()) {
      if (!manifest.attestation || !manifest.present) continue;
      manifests.set(manifest.digest, manifest.size);
      for (const blob of manifest.blobs) blobs.set(blob.digest, blob.size);
    }
  }
  const sum = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
  return { count: manifests.size, bytes: sum(manifests) + sum(blobs) };
}

/** The keep-set: every digest reached (manifests and blobs), sorted, once each. */
export function keepSet(reached: Iterable<Reached>): string[] {
  const digests = new Set<string>();
  for (const { manifests, blobs } of reached) {
    for (const digest of manifests.keys()) digests.add(digest);
    for (const digest of blobs.keys()) digests.add(digest);
  }
  return [...digests].sort();
}
