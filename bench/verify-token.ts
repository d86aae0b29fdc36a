// Issue 6, item 2 with token auth, as GHCR, Docker Hub and ECR do it: the registry asks for Bearer tokens from
// the tests' token server; both sit behind their own latency proxy, so token fetches are counted apart.
import { progress, runBench } from './lib/section';
import { ms, ratio } from './lib/stats';
import { startTokenAuthRegistry } from './lib/token-registry';
import {
  caseRepositories,
  DELAY_MS,
  measureCases,
  pushCases,
  reportCases,
  TARGET_CHILDREN,
  TARGET_RATIO,
} from './lib/verify-cases';

const CHILD_COUNTS = [TARGET_CHILDREN];

runBench('verify-token', async (section) => {
  const auth = await startTokenAuthRegistry(DELAY_MS);
  try {
    const cases = await pushCases(auth.proxies, auth.pusher(caseRepositories(CHILD_COUNTS)), CHILD_COUNTS);
    progress(`measuring ${cases.length} verifications with anonymous token auth`);
    const results = await measureCases(cases);
    const [single, target] = reportCases(
      section,
      `Token auth (anonymous pull): the registry's realm is a second latency proxy in front of the token server, so "token" requests are token fetches. Otherwise as in the first table.`,
      results,
    );
    section.targets.push({
      name: `${TARGET_CHILDREN}-child index ≤ ${TARGET_RATIO}× a single manifest, with token auth`,
      measured: `${ms(target.medianMs)} vs ${ms(single.medianMs)}: ${ratio(target.medianMs, single.medianMs)}`,
      met: target.medianMs <= TARGET_RATIO * single.medianMs,
    });
    const fetches = [...results.values()].map((m) =>
      Object.entries(m.requests)
        .filter(([kind]) => kind.endsWith(' token'))
        .reduce((sum, [, count]) => sum + count, 0),
    );
    section.targets.push({
      name: 'ideal: one token fetch per repository and scope (each verification reads one repository)',
      measured: `${Math.min(...fetches)} to ${Math.max(...fetches)} token fetches per verification`,
      met: fetches.every((count) => count === 1),
    });
  } finally {
    await auth.stop();
  }
});
