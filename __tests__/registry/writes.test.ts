// The registry client's listing and write operations, against two real registries (one with htpasswd).
import { randomBytes } from 'node:crypto';
import { RegistryClient } from '../../src/core/registry/client';
import { AuthTarget } from '../../src/core/registry/auth';
import { htpasswdAuth, startRegistry, TestRegistry } from '../support/registry';
import { startFaultProxy, FaultProxy } from '../support/fault-proxy';
import { content, imageManifest, MT, PushClient } from '../support/oci';
import { basicAuth, dockerConfigDir } from './helpers/credential-helper';
import { recordingLog } from './helpers/recording-log';

const PASSWORD = 'writes-test-secret';
let open: TestRegistry;
let locked: TestRegistry;
let noDelete: TestRegistry;
let proxy: FaultProxy;
let client: RegistryClient;
const auth = `Basic ${Buffer.from(`alice:${PASSWORD}`).toString('base64')}`;

beforeAll(async () => {
  [open, locked, noDelete] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: htpasswdAuth({ alice: PASSWORD }) }),
    startRegistry({ delete: false }),
  ]);
  proxy = await startFaultProxy(open.url);
  const env = {
    DOCKER_CONFIG: dockerConfigDir({ auths: { [locked.host]: { auth: basicAuth('alice', PASSWORD) } } }),
    BUILDX_GUARD_RETRY_BASE_MS: '5',
  };
  client = new RegistryClient({ insecureRegistries: [], log: recordingLog(), env });
});
afterAll(async () => {
  await client.close();
  await Promise.all([open.stop(), locked.stop(), noDelete.stop(), proxy.stop()]);
});
beforeEach(() => proxy.reset());

const at = (registry: { host: string }, repository: string): AuthTarget => ({
  registry: registry.host,
  domain: registry.host,
  repository,
});

describe('listing', () => {
  it('follows Link pagination through every page of tags/list', async () => {
    const image = imageManifest('linux/amd64', 'oci');
    const tags = ['a', 'b', 'c', 'd', 'e'];
    await new PushClient(open.url).push('list/app', tags, image);
    // distribution 2.8 lists every tag in one page; the real listing is checked first.
    expect(await client.listTags(at(proxy, 'list/app'), 2)).toEqual(tags);
    // Then pages as a paginating registry (distribution 3, Harbor, GHCR) sends them.
    const page = (names: string[], next?: string) => ({
      status: 200,
      headers: { 'content-type': 'application/json', ...(next ? { link: `<${next}>; rel="next"` } : {}) },
      body: JSON.stringify({ name: 'list/app', tags: names }),
    });
    proxy.rules = [
      { path: /\?n=2$/, fault: page(['e', 'a'], '/v2/list/app/tags/list?last=a&n=2'), times: 1 },
      { path: /last=a/, fault: page(['c', 'b'], `${proxy.url}/v2/list/app/tags/list?last=b&n=2`), times: 1 },
      { path: /last=b/, fault: page(['d']), times: 1 },
    ];
    proxy.requests.splice(0);
    expect(await client.listTags(at(proxy, 'list/app'), 2)).toEqual(tags);
    expect(proxy.requests.map((r) => r.path)).toEqual([
      '/v2/list/app/tags/list?n=2',
      '/v2/list/app/tags/list?last=a&n=2',
      '/v2/list/app/tags/list?last=b&n=2',
    ]);
  });

  it('walks a paginated _catalog, with credentials where the registry asks for them', async () => {
    const push = new PushClient(locked.url, { authorization: auth });
    for (const repo of ['cat/one', 'cat/two', 'cat/three']) {
      await push.push(repo, ['v1'], imageManifest('linux/amd64', 'docker'));
    }
    expect(await client.catalog(at(locked, ''), 1)).toEqual(['cat/one', 'cat/three', 'cat/two']);
  });

  it('refuses a Link to another endpoint instead of silently stopping', async () => {
    await new PushClient(open.url).push('list/hostile', ['v1'], imageManifest('linux/amd64', 'oci'));
    proxy.rules = [
      {
        path: /tags\/list/,
        fault: {
          status: 200,
          headers: { link: '<http://127.0.0.2:1/steal>; rel="next"' },
          body: '{"tags":["v1"]}',
        },
      },
    ];
    await expect(client.listTags(at(proxy, 'list/hostile'))).rejects.toThrow(
      /next page .* is not \/v2\/list\/hostile\/tags\/list/,
    );
  });

  it('refuses a listed tag that could not be requested safely', async () => {
    proxy.rules = [
      {
        path: /tags\/list/,
        fault: {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: '{"tags":["v1","../../_catalog"]}',
        },
      },
    ];
    await expect(client.listTags(at(proxy, 'list/any'))).rejects.toThrow(
      'lists a tag of list/any that is not a valid tag: "../../_catalog"',
    );
  });

  it('says a repository does not exist', async () => {
    await expect(client.listTags(at(open, 'nothing/here'))).rejects.toThrow(
      /has no repository nothing\/here/,
    );
  });
});

describe('writes', () => {
  it('PUTs manifest bytes exactly, so the digest is the same', async () => {
    const image = imageManifest('linux/arm64', 'oci');
    const push = new PushClient(locked.url, { authorization: auth });
    for (const blob of image.blobs) await push.pushBlob('w/app', blob);
    const digest = await client.putManifest(at(locked, 'w/app'), 'v1', image.bytes, MT.ociManifest);
    expect(digest).toBe(image.descriptor.digest);
    const served = await client.getManifest(at(locked, 'w/app'), 'v1');
    expect(served && [served.digest, served.mediaType, served.bytes.equals(image.bytes)]).toEqual([
      image.descriptor.digest,
      MT.ociManifest,
      true,
    ]);
  });

  it('DELETEs a manifest; a second delete is not-found; a registry without delete says unsupported', async () => {
    const image = imageManifest('linux/amd64', 'oci');
    await new PushClient(open.url).push('w/del', ['v1'], image);
    await new PushClient(noDelete.url).push('w/del', ['v1'], image);
    expect(await client.deleteManifest(at(open, 'w/del'), image.descriptor.digest)).toBe('deleted');
    expect(await client.getManifest(at(open, 'w/del'), image.descriptor.digest)).toBeUndefined();
    expect(await client.deleteManifest(at(open, 'w/del'), image.descriptor.digest)).toBe('not-found');
    expect(await client.deleteManifest(at(noDelete, 'w/del'), image.descriptor.digest)).toBe('unsupported');
    expect(await client.getManifest(at(noDelete, 'w/del'), image.descriptor.digest)).toBeDefined();
  });

  it('mounts a blob from another repository of the same registry', async () => {
    const blob = content(MT.ociLayer, randomBytes(300));
    await new PushClient(open.url).pushBlob('mount/from', blob);
    const started = await client.startUpload(at(open, 'mount/to'), {
      repository: 'mount/from',
      digest: blob.descriptor.digest,
    });
    expect(started).toEqual({ mounted: true });
    expect(await client.headBlob(at(open, 'mount/to'), blob.descriptor.digest)).toMatchObject({ size: 300 });
  });

  it('falls back to an upload when the mount source lacks the blob', async () => {
    const started = await client.startUpload(at(open, 'mount/to'), {
      repository: 'mount/none',
      digest: content(MT.ociLayer, randomBytes(10)).descriptor.digest,
    });
    expect(started.mounted).toBe(false);
  });

  it('copies a blob between registries in chunks, each credential sent only to its own registry', async () => {
    const blob = content(MT.ociLayer, randomBytes(100_000));
    await new PushClient(open.url).pushBlob('copy/src', blob);
    const source = at(proxy, 'copy/src');
    const target = at(locked, 'copy/dst');
    const started = await client.startUpload(target);
    if (started.mounted) throw new Error('nothing to mount');
    await client.uploadBlob(
      target,
      started.location,
      { digest: blob.descriptor.digest, size: blob.descriptor.size },
      (offset, length) => client.getBlobRange(source, blob.descriptor.digest, offset, offset + length - 1),
      16 * 1024,
    );
    const ranges = proxy.requests.filter((r) => r.method === 'GET').map((r) => r.headers.range);
    expect(ranges).toHaveLength(7);
    expect(ranges[6]).toBe('bytes=98304-99999');
    expect(proxy.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
    const copied = await client.getBlob(target, blob.descriptor.digest);
    expect(copied?.equals(blob.bytes)).toBe(true);
  });

  it('a chunk that does not match the digest fails the upload, and nothing is stored', async () => {
    const blob = content(MT.ociLayer, randomBytes(1000));
    const target = at(open, 'copy/bad');
    const started = await client.startUpload(target);
    if (started.mounted) throw new Error('nothing to mount');
    const wrong = Buffer.from(blob.bytes);
    wrong[0] ^= 1;
    await expect(
      client.uploadBlob(target, started.location, blob.descriptor, async () => wrong, 4096),
    ).rejects.toThrow(/finish upload of sha256:.*DIGEST_INVALID/);
    expect(await client.headBlob(target, blob.descriptor.digest)).toBeUndefined();
  });
});
