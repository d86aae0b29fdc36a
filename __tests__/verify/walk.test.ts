// How the walk talks to the registry: children in one wave, each blob asked about once, retries for a tag that
// is not visible yet. Observed at a proxy in front of the real registry.
import { startRegistry, TestRegistry } from '../support/registry';
import { imageManifest, index, PushClient } from '../support/oci';
import { FaultProxy, startFaultProxy } from '../support/fault-proxy';
import { verifyReferences } from '../../src/core/verification';
import { parseReference } from '../../src/core/registry/reference';
import { Expectation } from '../../src/core/verification/report';
import { buildxIndex, expectation } from '../registry/helpers/images';
import { recordingLog } from '../registry/helpers/recording-log';
import { cleanEnv } from '../registry/helpers/cli';

let registry: TestRegistry;
let proxy: FaultProxy;
beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry.url);
});
afterAll(async () => {
  await proxy.stop();
  await registry.stop();
});
beforeEach(() => proxy.reset());

function verify(
  ref: string,
  overrides: Partial<Expectation> = {},
  notFoundRetries?: number,
  log = recordingLog(),
) {
  return verifyReferences(
    [parseReference(ref)],
    expectation(overrides),
    { insecureRegistries: [], log, ...(notFoundRetries !== undefined ? { notFoundRetries } : {}) },
    cleanEnv({ BUILDX_GUARD_TIMEOUT_MS: '5000' }),
  ).then((report) => report.images[0]);
}

it('HEADs all 32 children of an index at once', async () => {
  const platforms = Array.from({ length: 16 }, (_, i) => `linux/arch${i}`);
  await new PushClient(registry.url).push('walk/wide', ['v1'], buildxIndex(platforms, 'annotation'));
  // The children are answered only once all 32 HEADs are waiting: fewer in flight would time out.
  proxy.rules = [{ method: 'HEAD', path: /\/manifests\/sha256:/, fault: { gather: 32 }, times: 32 }];
  const report = await verify(`${proxy.host}/walk/wide:v1`, { attestations: 'allow' });
  expect([report.ok, report.children.length]).toEqual([true, 32]);
  expect(proxy.requests.map((r) => r.method)).toEqual(['GET', ...Array(32).fill('HEAD')]);
});

it('with verify-blobs, GETs each child and HEADs each distinct blob once', async () => {
  const amd64 = imageManifest('linux/amd64', 'oci');
  // Both images share one layer, as images built from one base do.
  const arm64 = imageManifest('linux/arm64', 'oci', amd64.blobs[1]);
  const top = index([amd64, arm64]);
  await new PushClient(registry.url).push('walk/shared', ['v1'], top);
  const report = await verify(`${proxy.host}/walk/shared:v1`, { verifyBlobs: true });
  expect(report.ok).toBe(true);
  const requested = (method: string, kind: string) =>
    proxy.requests
      .filter((r) => r.method === method && r.path.includes(`/${kind}/`))
      .map((r) => r.path.split('/').pop());
  expect(requested('GET', 'manifests').sort()).toEqual(
    ['v1', amd64.descriptor.digest, arm64.descriptor.digest].sort(),
  );
  expect(requested('HEAD', 'manifests')).toEqual([]);
  expect(requested('HEAD', 'blobs').sort()).toEqual(
    [
      amd64.blobs[0].descriptor.digest,
      arm64.blobs[0].descriptor.digest,
      amd64.blobs[1].descriptor.digest,
    ].sort(),
  );
});

it('asks again for a tag that is not visible yet, within notFoundRetries', async () => {
  await new PushClient(registry.url).push('walk/late', ['v1'], imageManifest('linux/amd64', 'docker'));
  const notYet = {
    status: 404,
    body: '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}',
  };
  proxy.rules = [{ method: 'GET', path: /manifests\/v1$/, fault: notYet, times: 2 }];
  const log = recordingLog();
  const report = await verify(`${proxy.host}/walk/late:v1`, {}, 3, log);
  expect(report.ok).toBe(true);
  expect(proxy.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
  expect(log.text()).toContain(
    `info: ${proxy.host}/walk/late:v1 is not in the registry yet; asking again in 10 ms (1/3).`,
  );

  proxy.rules = [{ method: 'GET', path: /manifests\/v1$/, fault: notYet }];
  proxy.requests.splice(0);
  const gone = await verify(`${proxy.host}/walk/late:v1`, {}, 2);
  expect(gone.problems.map((p) => p.code)).toEqual(['not-found']);
  expect(proxy.requests).toHaveLength(3);
});
