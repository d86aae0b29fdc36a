// Audit: every tag of each repository, verified and walked once, totalled per repository.
import { AuthTarget } from '../../core/registry/auth';
import { RegistryClient } from '../../core/registry/client';
import { backoffDelay, limitsFromEnv } from '../../core/registry/limits';
import { parseReference, Reference } from '../../core/registry/reference';
import { Log } from '../../core/output/log';
import { CachedReader } from '../../core/inventory/cached-reader';
import { attestationBytes, keepSet, Reached, reachableFrom } from '../../core/inventory/reachable';
import { evaluate } from '../../core/verification/check';
import { MAX_IN_FLIGHT } from '../../core/verification/index';
import { Limiter, limiter } from '../../core/verification/limit';
import { observe, WalkOptions } from '../../core/verification/walk';
import { ImageReport } from '../../core/verification/report';
import { AuditInputs } from './inputs';
import { AuditReport, AuditRepository, AuditTag, shapeOf, totalsOf } from './report';

export interface AuditResult {
  report: AuditReport;
  keepSet: string[];
}

export async function runAudit(
  inputs: AuditInputs,
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AuditResult> {
  const limits = limitsFromEnv(env);
  const client = new RegistryClient({ insecureRegistries: inputs.insecureRegistries, log, env, limits });
  const reader = new CachedReader(client);
  const limit = limiter(MAX_IN_FLIGHT);
  const walk: WalkOptions = {
    limit,
    log,
    notFoundRetries: 0,
    notFoundDelayMs: (n) => backoffDelay(n, limits),
  };
  try {
    const repositories = [...inputs.repositories];
    for (const host of inputs.catalogs) {
      const names = await client.catalog({ registry: host, domain: host, repository: '' });
      log.info(`${host} lists ${names.length} repositor${names.length === 1 ? 'y' : 'ies'}.`);
      repositories.push(...names.map((name) => parseReference(`${host}/${name}`, `the catalog of ${host}`)));
    }
    const audited: AuditRepository[] = [];
    const reached: Reached[] = [];
    for (const repository of repositories) {
      const result = await auditRepository(client, reader, repository, inputs, walk, limit, log);
      audited.push(result.repository);
      reached.push(...result.reached);
    }
    return { report: { repositories: audited }, keepSet: keepSet(reached) };
  } finally {
    await client.close();
  }
}

async function auditRepository(
  client: RegistryClient,
  reader: CachedReader,
  repository: Reference,
  inputs: AuditInputs,
  walk: WalkOptions,
  limit: Limiter,
  log: Log,
): Promise<{ repository: AuditRepository; reached: Reached[] }> {
  const target: AuthTarget = {
    registry: repository.registry,
    domain: repository.domain,
    repository: repository.repository,
  };
  const name = `${repository.domain}/${repository.repository}`;
  const tags = repository.tag ? [repository.tag] : await limit(() => client.listTags(target));
  const progress = progressLine(log, name, tags.length);
  const results = await Promise.all(
    tags.map(async (tag) => {
      const ref: Reference = { ...repository, raw: `${name}:${tag}`, tag };
      const report = evaluate(await observe(reader, ref, inputs.expectation, walk), inputs.expectation);
      // The same bytes the verification saw (the reader fetched the tag once): walk what they reach.
      const top = report.digest ? await reader.getManifest(target, tag) : undefined;
      const reached = top ? await reachableFrom(reader, target, top, limit) : undefined;
      progress();
      return { tag: auditTag(tag, report, reached), reached };
    }),
  );
  const reachedAll = results.flatMap((result) => (result.reached ? [result.reached] : []));
  const tagReports = results.map((result) => result.tag);
  return {
    repository: {
      repository: name,
      tags: tagReports,
      totals: totalsOf(tagReports, attestationBytes(reachedAll)),
    },
    reached: reachedAll,
  };
}

function auditTag(tag: string, report: ImageReport, reached: Reached | undefined): AuditTag {
  const attestations = attestationBytes(reached ? [reached] : []);
  const missing = reached
    ? [...reached.manifests.values()].filter((m) => !m.present).map((m) => m.digest)
    : [];
  return {
    tag,
    digest: report.digest,
    mediaType: report.mediaType,
    shape: shapeOf(report),
    ok: report.ok,
    attestations: attestations.count,
    attestationBytes: attestations.bytes,
    missing,
    problems: report.problems,
  };
}

/** A tag count on the log for long runs: about every tenth of the way, never a line per tag. */
function progressLine(log: Log, name: string, total: number): () => void {
  const step = Math.max(100, Math.ceil(total / 10));
  let done = 0;
  if (total >= step) log.info(`Auditing ${total} tags of ${name}.`);
  return () => {
    done++;
    if (done % step === 0 && done < total) log.info(`${name}: ${done}/${total} tags audited.`);
  };
}
