// Issue 6, item 2: what verification costs as an index grows, with 50 ms of latency on every request.
// The real registry sits behind bench/lib/latency-proxy.ts; images are pushed straight to the registry, and
// verification goes through the proxy, which counts each request by method and path kind and times it. The same
// verifications also run through a zero-latency proxy, which shows the registry's and the verifier's own work.
import { startBenchRegistry } from './lib/registry-process';
import { PushClient } from '../__tests__/support/oci';
import { startLatencyProxy } from './lib/latency-proxy';
import { profileForced, profileHere } from './lib/profiling';
import { progress, runBench } from './lib/section';
import { ms, ratio } from './lib/stats';
import {
  calibrate,
  DELAY_MS,
  idealRequests,
  measureCases,
  pushCases,
  registryRequests,
  reportCases,
  TARGET_CHILDREN,
  TARGET_RATIO,
  throughProxy,
  verifyOnce,
} from './lib/verify-cases';

/** "A bounded number of round trips, not one per child": at least this many children checked per round trip. */
const CHILDREN_PER_ROUND_TRIP = 8;
const PROFILED_RUNS = 10;

runBench('verify', async (section) => {
  const registry = await startBenchRegistry();
  const proxy = await startLatencyProxy(registry.url, { delayMs: DELAY_MS });
  const unloadedProxy = await startLatencyProxy(registry.url, { delayMs: 0 });
  try {
    const cases = await pushCases([proxy], new PushClient(registry.url));
    const at32 = cases.find((c) => c.children === TARGET_CHILDREN)!;
    cases.push({
      ...at32,
      name: `${at32.name}, verify-blobs`,
      expectation: { ...at32.expectation, verifyBlobs: true },
    });
    const unloadedCases = throughProxy(cases, unloadedProxy);
    const roundTrip = await calibrate(proxy);

    progress(`measuring ${cases.length} verifications at ${DELAY_MS} ms and at 0 ms per request`);
    const all = await measureCases([...cases, ...unloadedCases]);
    const figures = reportCases(
      section,
      `No auth. \`verifyImages\` (src/core/verification/index.ts, as the action and the CLI call it) in one process, through a proxy adding ${DELAY_MS} ms to every request, and through one adding nothing. Times: median (p25–p75) over interleaved rounds after a warm-up round. "Sequential round trips" is the longest run of requests the verifier sent each after the previous one was answered, read from the proxy's timeline (its critical path). Verifier CPU is this process's CPU time per verification (the client's own work). Requests are per verification, the same in every round unless a note says otherwise.`,
      new Map(cases.map((c) => [c, all.get(c)!])),
      new Map(unloadedCases.map((c) => [c, all.get(c)!])),
    );
    section.notes.push(
      `One sequential round trip through the ${DELAY_MS} ms proxy (\`GET /v2/\`, median of 5): ${ms(roundTrip)}.`,
    );

    const single = figures[0];
    const byChildren = (count: number) =>
      figures.find((f) => f.case.children === count && !f.case.expectation.verifyBlobs)!;
    const target = byChildren(TARGET_CHILDREN);
    section.targets.push({
      name: `${TARGET_CHILDREN}-child index ≤ ${TARGET_RATIO}× a single manifest`,
      measured: `${ms(target.medianMs)} vs ${ms(single.medianMs)}: ${ratio(target.medianMs, single.medianMs)}`,
      met: target.medianMs <= TARGET_RATIO * single.medianMs,
    });
    // Any client must GET the index before it can HEAD a child: one round trip more than the single manifest.
    section.notes.push(
      `Floor for any verifier that checks children: the index's GET, then at least one round of HEADs, i.e. one round trip (${DELAY_MS} ms) more than the single manifest: ${ratio(single.medianMs + DELAY_MS, single.medianMs)} here.`,
    );
    const largest = figures.filter((f) => !f.case.expectation.verifyBlobs).at(-1)!;
    const extraTrips = largest.roundTrips - single.roundTrips;
    const childrenPerTrip = largest.case.children / extraTrips;
    section.targets.push({
      name: `children cost a bounded number of round trips (≥ ${CHILDREN_PER_ROUND_TRIP} children per extra round trip at ${largest.case.children} children)`,
      measured: `${extraTrips} extra sequential round trips: ${childrenPerTrip.toFixed(1)} children per round trip`,
      met: childrenPerTrip >= CHILDREN_PER_ROUND_TRIP,
    });
    if (target.medianMs > TARGET_RATIO * single.medianMs || profileForced) {
      const unloadedTarget = unloadedCases[cases.indexOf(target.case)];
      progress(`profiling the verifier on the ${TARGET_CHILDREN}-child index`);
      section.profiles.push(
        await profileHere(
          `this bench process, ${PROFILED_RUNS} verifications of the ${TARGET_CHILDREN}-child index through the 0 ms proxy (the verifier's own work)`,
          async () => {
            for (let i = 0; i < PROFILED_RUNS; i++) await verifyOnce(unloadedTarget);
          },
        ),
      );
    }
    const overIdeal = figures.map((f) => registryRequests(all.get(f.case)!) - idealRequests(f.case));
    section.targets.push({
      name: 'ideal: requests per verification = 1 GET + 1 HEAD per child',
      measured: overIdeal.every((extra) => extra === 0)
        ? 'ideal for every image'
        : `${Math.min(...overIdeal)} to ${Math.max(...overIdeal)} requests over the ideal (see the table)`,
      met: overIdeal.every((extra) => extra === 0),
    });
  } finally {
    await unloadedProxy.stop();
    await proxy.stop();
    await registry.stop();
  }
});
