// The verification benches' shared parts: the images (a single manifest and indexes of 2 to 128 children),
// interleaved measurement through latency proxies, and the table of times and request counts.
import { imageManifest, index, PushClient } from '../../__tests__/support/oci';
import { verifyImages } from '../../src/core/verification/index';
import { Expectation, VerifyReport } from '../../src/core/verification/report';
import { cliLog, Log } from '../../src/core/output/log';
import { countByKind, LatencyProxy, sequentialRoundTrips } from './latency-proxy';
import { epochMs } from './proc';
import { progress, quick, Section } from './section';
import { ms, msSpread, ratio, summarize } from './stats';

export const DELAY_MS = 50;
export const CHILD_COUNTS = [2, 8, 32, 128];
export const TARGET_CHILDREN = 32;
export const TARGET_RATIO = 1.5;
export const ROUNDS = quick ? 3 : 7;
/** Blobs behind each child manifest that oci.ts's imageManifest makes: a config and one layer. */
const BLOBS_PER_CHILD = 2;

/** Verification logs nothing in the bench: its output is not what is measured. */
export const silentLog: Log = cliLog({ write: () => undefined });

const BASE_EXPECTATION: Expectation = {
  shape: 'auto',
  platforms: [],
  attestations: 'deny',
  mediaTypes: 'any',
  verifyBlobs: false,
};

/** n distinct platforms: the common ones first, then numbered variants (only distinctness matters here). */
export function distinctPlatforms(count: number): string[] {
  const common = [
    'linux/amd64',
    'linux/arm64',
    'linux/arm/v7',
    'linux/arm/v6',
    'linux/ppc64le',
    'linux/s390x',
  ];
  return Array.from({ length: count }, (_, i) =>
    i < common.length ? common[i] : `linux/riscv64/v${i - common.length + 1}`,
  );
}

const SINGLE_REPOSITORY = 'bench/single';
const indexRepository = (children: number) => `bench/index-${children}`;

/** The repositories pushCases pushes to. */
export function caseRepositories(childCounts = CHILD_COUNTS): string[] {
  return [SINGLE_REPOSITORY, ...childCounts.map(indexRepository)];
}

export interface VerifyCase {
  name: string;
  children: number;
  ref: string;
  expectation: Expectation;
  /** The proxies this verification goes through (the registry's first), whose requests it counts. */
  proxies: LatencyProxy[];
}

/**
 * Pushes a single Docker v2 manifest and one OCI index of image manifests per child count, and returns the
 * cases, with references through `proxies[0]` (the registry's proxy).
 */
export async function pushCases(
  proxies: LatencyProxy[],
  push: PushClient,
  childCounts = CHILD_COUNTS,
): Promise<VerifyCase[]> {
  const host = proxies[0].host;
  const single = imageManifest('linux/amd64', 'docker');
  await push.push(SINGLE_REPOSITORY, ['v1'], single);
  const cases: VerifyCase[] = [
    {
      name: 'single manifest',
      children: 0,
      ref: `${host}/${SINGLE_REPOSITORY}:v1`,
      expectation: { ...BASE_EXPECTATION, shape: 'manifest' },
      proxies,
    },
  ];
  for (const count of childCounts) {
    const platforms = distinctPlatforms(count);
    await push.push(
      indexRepository(count),
      ['v1'],
      index(platforms.map((platform) => imageManifest(platform, 'oci'))),
    );
    cases.push({
      name: `index, ${count} children`,
      children: count,
      ref: `${host}/${indexRepository(count)}:v1`,
      expectation: { ...BASE_EXPECTATION, shape: 'index', platforms },
      proxies,
    });
  }
  progress(`pushed ${cases.length} images`);
  return cases;
}

/** The same verifications through another proxy in front of the same registry. */
export function throughProxy(cases: VerifyCase[], proxy: LatencyProxy): VerifyCase[] {
  return cases.map((c) => ({ ...c, ref: c.ref.replace(c.proxies[0].host, proxy.host), proxies: [proxy] }));
}

export interface Measurement {
  timesMs: number[];
  /** CPU time of this process (the verifier) per verification. */
  cpuMs: number[];
  /** Sequential round trips per verification (see sequentialRoundTrips). */
  roundTrips: number[];
  requests: Record<string, number>;
  total: number;
  maxInFlight: number;
  /** Set when a run's request counts differed from the first run's, or the verdict was not ok. */
  anomalies: string[];
}

export type Verifier = (c: VerifyCase) => Promise<VerifyReport>;

/** What the action and the CLI run: verifyImages from src/core/verification/index.ts. */
export const shippedVerifier: Verifier = (c) =>
  verifyImages([c.ref], c.expectation, { insecureRegistries: [], log: silentLog });

/** Runs one verification and returns its time, the requests its proxies saw and the report. */
export async function verifyOnce(
  c: VerifyCase,
  verify: Verifier = shippedVerifier,
): Promise<{
  timeMs: number;
  cpuMs: number;
  requests: Record<string, number>;
  roundTrips: number;
  maxInFlight: number;
  report: VerifyReport;
}> {
  await Promise.all(c.proxies.map((proxy) => proxy.reset()));
  const start = epochMs();
  const cpu = process.cpuUsage();
  const report = await verify(c);
  const timeMs = epochMs() - start;
  const { user, system } = process.cpuUsage(cpu);
  // A proxy records a request when the upstream answer ends: give the last 'end' events time to run.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const snapshots = await Promise.all(c.proxies.map((proxy) => proxy.snapshot()));
  const requests = snapshots.flatMap((snapshot) => snapshot.requests);
  return {
    timeMs,
    cpuMs: (user + system) / 1000,
    requests: countByKind(requests),
    roundTrips: sequentialRoundTrips(requests),
    maxInFlight: Math.max(...snapshots.map((snapshot) => snapshot.maxInFlight)),
    report,
  };
}

/** Interleaves the cases over ROUNDS rounds (after one warm-up round) so drift hits all of them alike. */
export async function measureCases(
  cases: VerifyCase[],
  verify: Verifier = shippedVerifier,
  rounds = ROUNDS,
): Promise<Map<VerifyCase, Measurement>> {
  const results = new Map<VerifyCase, Measurement>(
    cases.map((c) => [
      c,
      { timesMs: [], cpuMs: [], roundTrips: [], requests: {}, total: 0, maxInFlight: 0, anomalies: [] },
    ]),
  );
  for (let round = 0; round <= rounds; round++) {
    for (const c of cases) {
      const once = await verifyOnce(c, verify);
      const result = results.get(c)!;
      const image = once.report.images[0];
      if (!image?.ok) {
        const problems = image?.problems.map((p) => p.code).join(', ') || 'no image in the report';
        result.anomalies.push(`verdict not ok (${problems})`);
      }
      if (round === 0) {
        result.requests = once.requests;
        result.total = Object.values(once.requests).reduce((a, b) => a + b, 0);
        continue;
      }
      if (JSON.stringify(once.requests) !== JSON.stringify(result.requests)) {
        result.anomalies.push(`requests varied between runs: ${JSON.stringify(once.requests)}`);
      }
      result.timesMs.push(once.timeMs);
      result.cpuMs.push(once.cpuMs);
      result.roundTrips.push(once.roundTrips);
      result.maxInFlight = Math.max(result.maxInFlight, once.maxInFlight);
    }
  }
  return results;
}

/**
 * The ideal: 1 manifest GET plus 1 HEAD per child (token fetches are counted apart). With verify-blobs,
 * each child is fetched instead (its GET replaces its HEAD) and each of its blobs gets a HEAD.
 */
export function idealRequests(c: VerifyCase): number {
  return 1 + c.children * (c.expectation.verifyBlobs ? 1 + BLOBS_PER_CHILD : 1);
}

/** Requests counted at the proxies, without token fetches. */
export function registryRequests(m: Measurement): number {
  return Object.entries(m.requests)
    .filter(([kind]) => !kind.endsWith(' token'))
    .reduce((sum, [, count]) => sum + count, 0);
}

function requestsCell(requests: Record<string, number>): string {
  return Object.entries(requests)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
}

export interface CaseFigures {
  case: VerifyCase;
  medianMs: number;
  /** Median sequential round trips, from the proxies' request timelines. */
  roundTrips: number;
}

/**
 * Adds the table of times, round trips and requests. `unloaded` holds the same cases measured through a
 * zero-latency proxy, in the same order: what is left of the time without the injected latency is the
 * registry's and the verifier's own work (on a shared 2-core machine, it grows with concurrent requests).
 */
export function reportCases(
  section: Section,
  caption: string,
  results: Map<VerifyCase, Measurement>,
  unloaded?: Map<VerifyCase, Measurement>,
): CaseFigures[] {
  const unloadedMedians = unloaded ? [...unloaded.values()].map((m) => summarize(m.timesMs).median) : [];
  const figures: CaseFigures[] = [...results].map(([c, m]) => ({
    case: c,
    medianMs: summarize(m.timesMs).median,
    roundTrips: summarize(m.roundTrips).median,
  }));
  const singleMs = figures[0].medianMs;
  section.tables.push({
    caption,
    columns: [
      'image',
      `time at ${DELAY_MS} ms/request`,
      'vs single',
      'sequential round trips',
      ...(unloaded ? ['time at 0 ms/request'] : []),
      'verifier CPU',
      'requests',
      'by kind',
      'ideal',
      'max in flight',
    ],
    rows: figures.map((f, i) => {
      const m = results.get(f.case)!;
      return [
        f.case.name,
        msSpread(summarize(m.timesMs)),
        ratio(f.medianMs, singleMs),
        f.roundTrips,
        ...(unloaded ? [ms(unloadedMedians[i])] : []),
        ms(summarize(m.cpuMs).median),
        m.total,
        requestsCell(m.requests),
        idealRequests(f.case),
        m.maxInFlight,
      ];
    }),
  });
  for (const [c, m] of [...results, ...(unloaded ?? [])]) {
    for (const anomaly of new Set(m.anomalies)) section.notes.push(`${c.name}: ${anomaly}`);
  }
  return figures;
}

/**
 * One round trip through the proxy to the registry (`GET /v2/`, sequentially), so the table's times can be read
 * in round trips. Also checks that the proxy counts what passes through it.
 */
export async function calibrate(proxy: LatencyProxy, rounds = 5): Promise<number> {
  await proxy.reset();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = epochMs();
    const response = await fetch(`${proxy.url}/v2/`);
    await response.arrayBuffer();
    times.push(epochMs() - start);
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  const counted = (await proxy.snapshot()).requests.length;
  if (counted !== rounds) throw new Error(`the latency proxy counted ${counted} of ${rounds} requests`);
  return summarize(times).median;
}
