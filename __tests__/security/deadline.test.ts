// Class 7: a stalled registry ends the verification of a reference within one overall deadline, not within
// attempts × the request timeout. The real registry behind the fault proxy, which stalls every manifest GET.
import { verifyReferences } from '../../src/core/verification';
import { parseReference } from '../../src/core/registry/reference';
import { uncheckedImages } from '../../src/core/verification/report';
import { imageManifest, PushClient } from '../support/oci';
import { startRegistry, TestRegistry } from '../support/registry';
import { FaultProxy, startFaultProxy } from '../support/fault-proxy';
import { expectation } from '../registry/helpers/images';
import { recordingLog } from '../registry/helpers/recording-log';
import { cleanEnv } from '../registry/helpers/cli';

let registry: TestRegistry;
let proxy: FaultProxy;
beforeAll(async () => {
  registry = await startRegistry();
  await new PushClient(registry.url).push('slow/app', ['v1'], imageManifest('linux/amd64', 'oci'));
  proxy = await startFaultProxy(registry.url);
});
afterAll(() => Promise.all([proxy.stop(), registry.stop()]));

it('gives up on a stalled reference at the deadline, keeping the others', async () => {
  proxy.rules = [{ method: 'GET', path: /manifests\/stalled/, fault: { stall: true } }];
  await new PushClient(registry.url).push('slow/app', ['stalled'], imageManifest('linux/amd64', 'oci'));
  // Per request 20 s and three retries: without the deadline the stalled reference would take 80 s, past the
  // test's own timeout.
  const env = cleanEnv({ BUILDX_GUARD_TIMEOUT_MS: '20000', BUILDX_GUARD_DEADLINE_MS: '1500' });
  const report = await verifyReferences(
    [parseReference(`${proxy.host}/slow/app:v1`), parseReference(`${proxy.host}/slow/app:stalled`)],
    expectation(),
    { insecureRegistries: [], log: recordingLog(), keepGoing: true },
    env,
  );
  expect(report.images[0].ok).toBe(true);
  expect(uncheckedImages(report).map((image) => image.problems[0].message)).toEqual([
    `The check of ${proxy.host}/slow/app:stalled did not finish within 1500 ms (BUILDX_GUARD_DEADLINE_MS): the registry is too slow or stalled.`,
  ]);
});
