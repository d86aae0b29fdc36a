// heal: copy an index's missing children from a source, leaves first (blobs, manifests, nested indexes), the
// index itself last, so that at every moment each tag resolves and an interrupted run can simply run again.
import { AuthTarget } from '../../core/registry/auth';
import { RegistryClient } from '../../core/registry/client';
import { parseJson } from '../../core/registry/json';
import { Reference } from '../../core/registry/reference';
import { Log } from '../../core/output/log';
import { CachedReader } from '../../core/inventory/cached-reader';
import {
  blobDescriptors,
  classifyManifest,
  Descriptor,
  isIndexKind,
  readDescriptor,
} from '../../core/verification/classify';
import { Limiter } from '../../core/verification/limit';
import { RepairAction, RepairResult } from './report';

/** Blobs are copied in pieces of this size: memory stays at one piece whatever the layer's size. */
const CHUNK_BYTES = 8 * 1024 * 1024;
/** Nested indexes deeper than this are refused (no builder makes more than one level). */
const MAX_DEPTH = 4;

interface Plan {
  blobs: Map<string, Descriptor>;
  /** Manifests to put, each after everything it references (leaves first). */
  manifests: { descriptor: Descriptor; bytes: Buffer }[];
  lacking: string[];
}

export async function heal(
  client: RegistryClient,
  ref: Reference,
  source: Reference,
  options: { apply: boolean; limit: Limiter; log: Log },
  actions: RepairAction[],
): Promise<RepairResult> {
  const target = targetOf(ref);
  const from = targetOf(source);
  const repository = `${ref.domain}/${ref.repository}`;
  const sourceName = `${source.domain}/${source.repository}`;
  const reader = new CachedReader(client);
  const top = await client.getManifest(target, ref.digest ?? ref.tag ?? 'latest');
  if (!top)
    return {
      ref: ref.raw,
      outcome: 'refused',
      reason: 'it does not exist at the target (heal needs the index there)',
    };
  const body = parseJson(top.bytes.toString('utf8'));
  if (!isIndexKind(classifyManifest(top.mediaType, body))) {
    return {
      ref: ref.raw,
      outcome: 'nothing-to-do',
      reason: 'it is not an index: there are no children to heal',
    };
  }
  const plan: Plan = { blobs: new Map(), manifests: [], lacking: [] };
  await planIndex(reader, target, from, body, plan, options.limit, 0);
  if (plan.lacking.length > 0) {
    return {
      ref: ref.raw,
      outcome: 'refused',
      reason: `${sourceName} lacks ${plan.lacking.join(', ')} too: nothing was written for this index`,
    };
  }
  if (plan.blobs.size === 0 && plan.manifests.length === 0) {
    return { ref: ref.raw, outcome: 'nothing-to-do', reason: 'every child and blob is present' };
  }
  const sameRegistry = from.registry === target.registry;
  const planned: [RepairAction, () => Promise<void>][] = [];
  for (const blob of plan.blobs.values()) {
    const action: RepairAction = {
      action: sameRegistry ? 'mount-blob' : 'copy-blob',
      repository,
      digest: blob.digest,
      from: sourceName,
      status: 'planned',
    };
    planned.push([action, () => copyBlob(client, from, target, blob, sameRegistry)]);
  }
  for (const manifest of plan.manifests) {
    const action: RepairAction = {
      action: 'put-manifest',
      repository,
      reference: manifest.descriptor.digest,
      digest: manifest.descriptor.digest,
      mediaType: manifest.descriptor.mediaType,
      status: 'planned',
    };
    planned.push([
      action,
      () =>
        putExact(client, target, manifest.descriptor.digest, manifest.bytes, manifest.descriptor.mediaType),
    ]);
  }
  // The index bytes last, by digest and under its tag: the registry checks every child exists as it takes them.
  for (const reference of [top.digest, ...(ref.tag && !ref.digest ? [ref.tag] : [])]) {
    const action: RepairAction = {
      action: 'put-manifest',
      repository,
      reference,
      digest: top.digest,
      mediaType: top.mediaType,
      status: 'planned',
    };
    planned.push([action, () => putExact(client, target, reference, top.bytes, top.mediaType)]);
  }
  for (const [action, run] of planned) {
    actions.push(action);
    if (!options.apply) continue;
    options.log.info(
      `${action.action} ${action.digest} -> ${repository}${action.reference && action.reference !== action.digest ? `:${action.reference}` : ''}`,
    );
    await run();
    action.status = 'done';
  }
  return { ref: ref.raw, outcome: options.apply ? 'repaired' : 'planned' };
}

/** Walks an index's children: what the target lacks is planned from the source, children before parents. */
async function planIndex(
  reader: CachedReader,
  target: AuthTarget,
  source: AuthTarget,
  body: unknown,
  plan: Plan,
  limit: Limiter,
  depth: number,
): Promise<void> {
  const children = ((body as { manifests?: unknown[] }).manifests ?? []).map(readDescriptor);
  await Promise.all(
    children.map(async (child) => {
      if (!child) return; // verify reports it; heal cannot copy what it cannot name
      const atTarget = await limit(() => reader.getManifest(target, child.digest));
      const present = atTarget?.digest === child.digest;
      const manifest = present ? atTarget : await limit(() => reader.getManifest(source, child.digest));
      if (!manifest || manifest.digest !== child.digest) {
        plan.lacking.push(child.digest);
        return;
      }
      const childBody = parseJson(manifest.bytes.toString('utf8'));
      if (isIndexKind(classifyManifest(manifest.mediaType, childBody))) {
        if (depth + 1 === MAX_DEPTH) {
          plan.lacking.push(child.digest);
          return;
        }
        await planIndex(reader, target, source, childBody, plan, limit, depth + 1);
      } else {
        await planBlobs(reader, target, source, childBody, plan, limit);
      }
      if (!present) plan.manifests.push({ descriptor: child, bytes: manifest.bytes });
    }),
  );
}

async function planBlobs(
  reader: CachedReader,
  target: AuthTarget,
  source: AuthTarget,
  body: unknown,
  plan: Plan,
  limit: Limiter,
): Promise<void> {
  await Promise.all(
    blobDescriptors(body).map(async (blob) => {
      if (await limit(() => reader.headBlob(target, blob.digest))) return;
      const atSource = await limit(() => reader.headBlob(source, blob.digest));
      if (!atSource || (atSource.size !== undefined && atSource.size !== blob.size))
        plan.lacking.push(blob.digest);
      else plan.blobs.set(blob.digest, blob);
    }),
  );
}

/** A mount on the same registry; otherwise (or when the mount is declined) a chunked copy by byte ranges. */
async function copyBlob(
  client: RegistryClient,
  source: AuthTarget,
  target: AuthTarget,
  blob: Descriptor,
  sameRegistry: boolean,
): Promise<void> {
  if (await client.headBlob(target, blob.digest)) return; // a run before this one got that far
  const started = await client.startUpload(
    target,
    sameRegistry ? { repository: source.repository, digest: blob.digest } : undefined,
  );
  if (started.mounted) return;
  await client.uploadBlob(
    target,
    started.location,
    blob,
    (offset, length) => client.getBlobRange(source, blob.digest, offset, offset + length - 1),
    CHUNK_BYTES,
  );
}

async function putExact(
  client: RegistryClient,
  target: AuthTarget,
  reference: string,
  bytes: Buffer,
  mediaType: string,
) {
  await client.putManifest(target, reference, bytes, mediaType);
}

function targetOf(ref: Reference): AuthTarget {
  return { registry: ref.registry, domain: ref.domain, repository: ref.repository };
}
