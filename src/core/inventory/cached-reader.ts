// A RegistryReader that asks the registry about each distinct manifest and blob once per run.
import { AuthTarget } from '../registry/auth';
import { FetchedManifest, HeadResult } from '../registry/client';
import { isDigest } from '../registry/reference';
import { RegistryReader } from '../verification/walk';

/**
 * Memoises every answer by registry, repository and reference (blobs live per repository). A manifest is
 * fetched, never HEADed: the body is needed for the keep-set anyway, and its hash is a stronger check than a
 * header. Callers bound the requests in flight; this only shares them.
 */
export class CachedReader implements RegistryReader {
  private readonly manifests = new Map<string, Promise<FetchedManifest | undefined>>();
  private readonly blobHeads = new Map<string, Promise<HeadResult | undefined>>();
  private readonly blobs = new Map<string, Promise<Buffer | undefined>>();

  constructor(private readonly reader: RegistryReader) {}

  getManifest(target: AuthTarget, reference: string): Promise<FetchedManifest | undefined> {
    return once(this.manifests, key(target, reference), async () => {
      const fetched = await this.reader.getManifest(target, reference);
      // A tag's manifest is also the manifest of its digest.
      if (fetched && !isDigest(reference)) {
        const byDigest = key(target, fetched.digest);
        if (!this.manifests.has(byDigest)) this.manifests.set(byDigest, Promise.resolve(fetched));
      }
      return fetched;
    });
  }

  async headManifest(target: AuthTarget, digest: string): Promise<HeadResult | undefined> {
    const fetched = await this.getManifest(target, digest);
    if (!fetched) return undefined;
    return {
      digest: fetched.digest,
      size: fetched.bytes.length,
      ...(fetched.mediaType ? { mediaType: fetched.mediaType } : {}),
    };
  }

  headBlob(target: AuthTarget, digest: string): Promise<HeadResult | undefined> {
    return once(this.blobHeads, key(target, digest), () => this.reader.headBlob(target, digest));
  }

  getBlob(target: AuthTarget, digest: string): Promise<Buffer | undefined> {
    return once(this.blobs, key(target, digest), () => this.reader.getBlob(target, digest));
  }
}

function key(target: AuthTarget, reference: string): string {
  return `${target.registry}/${target.repository}@${reference}`;
}

function once<T>(cache: Map<string, Promise<T>>, name: string, load: () => Promise<T>): Promise<T> {
  let value = cache.get(name);
  if (!value) {
    value = load();
    cache.set(name, value);
    // A failure is not an answer: the next asker tries again.
    value.catch(() => cache.delete(name));
  }
  return value;
}
