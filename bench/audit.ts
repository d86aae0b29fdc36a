// Issue 14: audit of a repository with 1,000 tags, with 50 ms of latency on every request. Each tag is its own
// single-platform buildx index (image + attestation), pushed straight to the registry; the audit goes through
// the latency proxy, which counts each request by kind and gives the critical path and the peak in flight.
import { startBenchRegistry } from './lib/registry-process';
import { attestationManifest, imageManifest, index, PushClient } from '../__tests__/support/oci';
import { countByKind, LatencyProxy, sequentialRoundTrips, startLatencyProxy } from './lib/latency-proxy';
import { epochMs } from './lib/proc';
import { progress, quick, runBench } from './lib/section';
import { ms, msSpread, summarize } from './lib/stats';
import { runAudit } from '../src/modes/audit/audit';
import { readAuditInputs } from '../src/modes/audit/inputs';
import { MAX_IN_FLIGHT } from '../src/core/verification/index';
import { Log } from '../src/core/output/log';

const TAGS = 1000;
const DELAY_MS = 50;
const ROUNDS = quick ? 1 : 3;
const REPOSITORY = 'bench/audit';
/** Each distinct manifest once: the tag's GET, then its two children by digest. */
const IDEAL_PER_TAG = 3;

const silent: Log = {
  info: () => undefined,
  warning: () => undefined,
  notice: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  secret: () => undefined,
  group: (_name, fn) => fn(),
};

runBench('audit', async (section) => {
  const registry = await startBenchRegistry();
  const proxy = await startLatencyProxy(registry.url, { delayMs: DELAY_MS });
  const unloadedProxy = await startLatencyProxy(registry.url, { delayMs: 0 });
  try {
    progress(`pushing ${TAGS} single-platform attestation indexes`);
    const push = new PushClient(registry.url);
    const queue = Array.from({ length: TAGS }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          const image = imageManifest('linux/amd64', 'oci');
          await push.push(
            REPOSITORY,
            [`t${i}`],
            index([image, attestationManifest(image.descriptor, 'annotation')]),
          );
        }
      }),
    );
    const rows: (string | number)[][] = [];
    const measure = async (via: LatencyProxy, delayMs: number) => {
      const inputs = readAuditInputs((name) => (name === 'repositories' ? `${via.host}/${REPOSITORY}` : ''));
      const times: number[] = [];
      const cpu: number[] = [];
      let last:
        { requests: Record<string, number>; total: number; roundTrips: number; peak: number } | undefined;
      for (let round = 0; round <= ROUNDS; round++) {
        await via.reset();
        const start = epochMs();
        const usage = process.cpuUsage();
        const { report, keepSet } = await runAudit(inputs, silent);
        const elapsed = epochMs() - start;
        const { user, system } = process.cpuUsage(usage);
        await new Promise((resolve) => setTimeout(resolve, 20));
        const snapshot = await via.snapshot();
        if (report.repositories[0].totals.tags !== TAGS || keepSet.length !== TAGS * 7) {
          throw new Error(
            `the audit saw ${report.repositories[0].totals.tags} tags and ${keepSet.length} digests`,
          );
        }
        if (round === 0) continue; // warm-up
        times.push(elapsed);
        cpu.push((user + system) / 1000);
        last = {
          requests: countByKind(snapshot.requests),
          total: snapshot.requests.length,
          roundTrips: sequentialRoundTrips(snapshot.requests),
          peak: snapshot.maxInFlight,
        };
      }
      const timing = summarize(times);
      const { requests, total, roundTrips, peak } = last!;
      // With MAX_IN_FLIGHT requests overlapping, no client can beat this many delays.
      const floorMs = Math.ceil((total - 1) / MAX_IN_FLIGHT) * delayMs + delayMs;
      rows.push([
        `${delayMs} ms`,
        msSpread(timing),
        ms(summarize(cpu).median),
        total,
        (total / TAGS).toFixed(2),
        Object.entries(requests)
          .map(([kind, n]) => `${kind} ${n}`)
          .join(', '),
        roundTrips,
        peak,
        ms(floorMs),
      ]);
      return { timing, total, floorMs };
    };
    progress(`auditing ${TAGS} tags through the ${DELAY_MS} ms proxy and the 0 ms one`);
    const { timing, total, floorMs } = await measure(proxy, DELAY_MS);
    const unloaded = await measure(unloadedProxy, 0);
    section.tables.push({
      caption: `runAudit (src/modes/audit/audit.ts, as the CLI and the action call it) over one repository of ${TAGS} tags, through a proxy adding ${DELAY_MS} ms to every request and through one adding nothing. ${ROUNDS} rounds after a warm-up; time: median (p25–p75); CPU: this process's CPU time per audit.`,
      columns: [
        'latency',
        'wall time (ms)',
        'audit CPU',
        'requests',
        'requests per tag',
        'by kind',
        'sequential round trips',
        'peak in flight',
        `floor at ${MAX_IN_FLIGHT} in flight`,
      ],
      rows,
    });
    section.notes.push(
      `At 0 ms the audit takes ${ms(unloaded.timing.median)}: the registry's and the client's own work, which the ${DELAY_MS} ms run pays on top of its floor.`,
    );
    section.targets.push({
      name: `requests per tag = ${IDEAL_PER_TAG} (each distinct manifest once, no HEAD, no blob) plus the tag list`,
      measured: `${total} requests for ${TAGS} tags: ${(total / TAGS).toFixed(3)} per tag`,
      met: total <= TAGS * IDEAL_PER_TAG + 2,
    });
    section.targets.push({
      name: `wall time within 1.5× the floor of ${MAX_IN_FLIGHT} requests in flight`,
      measured: `${ms(timing.median)} vs a floor of ${ms(floorMs)}`,
      met: timing.median <= 1.5 * floorMs,
    });
  } finally {
    await unloadedProxy.stop();
    await proxy.stop();
    await registry.stop();
  }
});
