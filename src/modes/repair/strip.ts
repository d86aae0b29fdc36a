// strip-attestations: re-point each tag from its single-platform attestation index to its image, then (only
// if asked) delete the attestation manifests that no tag reaches any more.
import { AuthTarget } from '../../core/registry/auth';
import { FetchedManifest, RegistryClient } from '../../core/registry/client';
import { Reference } from '../../core/registry/reference';
import { Log } from '../../core/output/log';
import { CachedReader } from '../../core/inventory/cached-reader';
import { repositoryKeepSet } from '../../core/inventory/keep-set';
import { Limiter } from '../../core/verification/limit';
import { planStrip } from './plan';
import { RepairAction, RepairResult } from './report';

interface Repointed {
  target: AuthTarget;
  tag: string;
  image: FetchedManifest;
  attestations: string[];
}

export async function stripAttestations(
  client: RegistryClient,
  refs: Reference[],
  options: { apply: boolean; deleteOrphans: boolean; limit: Limiter; log: Log },
): Promise<{ results: RepairResult[]; actions: RepairAction[] }> {
  const results: RepairResult[] = [];
  const actions: RepairAction[] = [];
  const repointed: Repointed[] = [];
  for (const ref of refs) {
    const outcome = await stripOne(client, ref, options, actions);
    results.push(outcome.result);
    if (outcome.repointed) repointed.push(outcome.repointed);
  }
  if (options.deleteOrphans) await deleteOrphans(client, repointed, options, actions);
  return { results, actions };
}

async function stripOne(
  client: RegistryClient,
  ref: Reference,
  options: { apply: boolean; log: Log },
  actions: RepairAction[],
): Promise<{ result: RepairResult; repointed?: Repointed }> {
  const target: AuthTarget = { registry: ref.registry, domain: ref.domain, repository: ref.repository };
  const repository = `${ref.domain}/${ref.repository}`;
  const tag = ref.tag!;
  const name = `${repository}:${tag}`;
  const served = await client.getManifest(target, ref.digest ?? tag);
  if (!served)
    return { result: { ref: ref.raw, outcome: 'refused', reason: `${ref.digest ?? name} does not exist` } };
  if (ref.digest && served.digest !== ref.digest) {
    return {
      result: {
        ref: ref.raw,
        outcome: 'refused',
        reason: `the registry served ${served.digest} for ${ref.digest}`,
      },
    };
  }
  const plan = planStrip(served.mediaType, served.bytes);
  if (plan.kind === 'refuse') return { result: { ref: ref.raw, outcome: 'refused', reason: plan.reason } };
  if (plan.kind === 'image') {
    return {
      result: {
        ref: ref.raw,
        outcome: 'nothing-to-do',
        reason: `${name} is already an image manifest (to delete the orphans of its old index, pass ${name}@<old index digest>)`,
      },
    };
  }
  const image = await client.getManifest(target, plan.image.digest);
  if (!image) {
    return {
      result: {
        ref: ref.raw,
        outcome: 'refused',
        reason: `its image ${plan.image.digest} is missing: heal the index first`,
      },
    };
  }
  if (image.digest !== plan.image.digest || image.bytes.length !== plan.image.size) {
    return {
      result: {
        ref: ref.raw,
        outcome: 'refused',
        reason: `the registry serves other bytes than ${plan.image.digest} for the image`,
      },
    };
  }
  const repointed = { target, tag, image, attestations: plan.attestations.map((a) => a.digest) };
  const current = await client.getManifest(target, tag);
  if (current?.digest === image.digest) {
    // The re-point already happened (a run that stopped before its deletes): only the deletes remain.
    return {
      result: { ref: ref.raw, outcome: 'nothing-to-do', reason: `${name} already serves ${image.digest}` },
      repointed,
    };
  }
  const action: RepairAction = {
    action: 'put-manifest',
    repository,
    reference: tag,
    digest: image.digest,
    mediaType: plan.image.mediaType,
    status: 'planned',
  };
  actions.push(action);
  if (!options.apply) {
    return { result: { ref: ref.raw, outcome: 'planned', reason: `old index ${served.digest}` }, repointed };
  }
  options.log.info(`Putting ${image.digest} at ${name} (was the index ${served.digest}).`);
  const digest = await client.putManifest(target, tag, image.bytes, plan.image.mediaType);
  const after = await client.getManifest(target, tag);
  if (digest !== image.digest || after?.digest !== image.digest) {
    return {
      result: {
        ref: ref.raw,
        outcome: 'refused',
        reason: `after the put, ${name} serves ${after?.digest ?? 'nothing'}, not ${image.digest}`,
      },
    };
  }
  action.status = 'done';
  return { result: { ref: ref.raw, outcome: 'repaired', reason: `old index ${served.digest}` }, repointed };
}

/**
 * Deletes each stripped attestation that no tag of its repository reaches, by a keep-set read after the
 * re-points (in a dry run: as the re-points would leave it). Writes came first; a refusal is reported.
 */
async function deleteOrphans(
  client: RegistryClient,
  repointed: Repointed[],
  options: { apply: boolean; limit: Limiter; log: Log },
  actions: RepairAction[],
): Promise<void> {
  const byRepository = new Map<string, Repointed[]>();
  for (const item of repointed) {
    const key = `${item.target.registry}/${item.target.repository}`;
    byRepository.set(key, [...(byRepository.get(key) ?? []), item]);
  }
  for (const items of byRepository.values()) {
    const { target } = items[0];
    const repository = `${target.domain}/${target.repository}`;
    const instead = new Map(options.apply ? [] : items.map((item) => [item.tag, item.image] as const));
    const keep = await repositoryKeepSet(client, new CachedReader(client), target, options.limit, instead);
    for (const digest of new Set(items.flatMap((item) => item.attestations))) {
      const action: RepairAction = { action: 'delete-manifest', repository, digest, status: 'planned' };
      actions.push(action);
      if (keep.has(digest)) {
        action.status = 'kept';
        options.log.info(`Keeping ${digest}: a tag of ${repository} still reaches it.`);
        continue;
      }
      if (!options.apply) continue;
      options.log.info(`Deleting ${digest} from ${repository}.`);
      const outcome = await client.deleteManifest(target, digest);
      action.status = outcome === 'deleted' ? 'done' : outcome;
      if (outcome === 'unsupported') {
        options.log.warning(
          `${target.registry} does not allow deleting manifests: ${digest} stays (use the registry's own cleanup).`,
        );
      }
    }
  }
}
