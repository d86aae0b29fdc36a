// What-if for issue 6, item 2: the same verifications with other bounds on requests in flight than the one
// src/core/verification/index.ts ships (MAX_IN_FLIGHT), without auth and with token auth, to show what the 32-child target
// needs. The verifier is assembled from the parts verifyImages uses (RegistryClient, observe, evaluate,
// limiter); only the bound differs.
import { startBenchRegistry } from './lib/registry-process';
import { PushClient } from '../__tests__/support/oci';
import { RegistryClient } from '../src/core/registry/client';
import { parseReference } from '../src/core/registry/reference';
import { evaluate } from '../src/core/verification/check';
import { limiter } from '../src/core/verification/limit';
import { observe } from '../src/core/verification/walk';
import { LatencyProxy, startLatencyProxy } from './lib/latency-proxy';
import { progress, quick, runBench, Section } from './lib/section';
import { ms, ratio, summarize } from './lib/stats';
import { startTokenAuthRegistry } from './lib/token-registry';
import {
  caseRepositories,
  DELAY_MS,
  measureCases,
  pushCases,
  silentLog,
  TARGET_CHILDREN,
  Verifier,
  VerifyCase,
} from './lib/verify-cases';

const BOUNDS = [16, 32, Infinity];
const CHILD_COUNTS = [TARGET_CHILDREN, 128];
const ROUNDS = quick ? 1 : 2;

function boundedVerifier(bound: number): Verifier {
  return async (c) => {
    const client = new RegistryClient({ insecureRegistries: [], log: silentLog });
    try {
      const observation = await observe(client, parseReference(c.ref), c.expectation, {
        limit: limiter(bound),
        log: silentLog,
        notFoundRetries: 0,
        notFoundDelayMs: () => 0,
      });
      return { images: [evaluate(observation, c.expectation)] };
    } finally {
      await client.close();
    }
  };
}

/**
 * One row per bound: for each index, its sequential round trips (the depth of its critical path, read from the
 * proxies' timelines: steadier than time on a busy machine) and its median time as a multiple of the single
 * manifest's.
 */
async function sweep(section: Section, auth: string, cases: VerifyCase[]): Promise<(string | number)[][]> {
  const measure = async (c: VerifyCase, verify?: Verifier) => {
    const [measurement] = (await measureCases([c], verify, ROUNDS)).values();
    for (const anomaly of new Set(measurement.anomalies))
      section.notes.push(`${auth}, ${c.name}: ${anomaly}`);
    return { ms: summarize(measurement.timesMs).median, trips: summarize(measurement.roundTrips).median };
  };
  const [single, ...indexes] = cases;
  const singleFigures = await measure(single);
  const rows: (string | number)[][] = [];
  for (const bound of BOUNDS) {
    progress(`${auth}: at most ${bound} in flight`);
    const cells: string[] = [];
    for (const c of indexes) {
      const figures = await measure(c, boundedVerifier(bound));
      cells.push(`${figures.trips} (${ratio(figures.ms, singleFigures.ms)})`);
    }
    rows.push([
      auth,
      bound === Infinity ? 'none' : bound,
      `${singleFigures.trips} (${ms(singleFigures.ms)})`,
      ...cells,
    ]);
  }
  return rows;
}

runBench('verify-bound', async (section) => {
  const rows: (string | number)[][] = [];
  const registry = await startBenchRegistry();
  const proxy: LatencyProxy = await startLatencyProxy(registry.url, { delayMs: DELAY_MS });
  try {
    rows.push(
      ...(await sweep(section, 'none', await pushCases([proxy], new PushClient(registry.url), CHILD_COUNTS))),
    );
  } finally {
    await proxy.stop();
    await registry.stop();
  }
  const tokenAuth = await startTokenAuthRegistry(DELAY_MS);
  try {
    const pusher = tokenAuth.pusher(caseRepositories(CHILD_COUNTS));
    rows.push(...(await sweep(section, 'token', await pushCases(tokenAuth.proxies, pusher, CHILD_COUNTS))));
  } finally {
    await tokenAuth.stop();
  }
  section.tables.push({
    caption: `Sequential round trips per verification, and in brackets the median time (for the indexes: as a multiple of the single manifest's, which does not depend on the bound); ${DELAY_MS} ms per request, ${ROUNDS} rounds after a warm-up round. The shipped bound is MAX_IN_FLIGHT in src/core/verification/index.ts.`,
    columns: [
      'auth',
      'requests in flight at most',
      'single manifest',
      ...CHILD_COUNTS.map((n) => `${n} children`),
    ],
    rows,
  });
});
