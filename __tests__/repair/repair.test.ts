// Repair against real registries: strip-attestations and heal, dry runs, refusals, and faults between steps.
import { RegistryClient } from '../../src/core/registry/client';
import { runRepair } from '../../src/modes/repair/mode';
import { readRepairInputs } from '../../src/modes/repair/inputs';
import { RepairReport } from '../../src/modes/repair/report';
import { planStrip } from '../../src/modes/repair/plan';
import { htpasswdAuth, startRegistry, TestRegistry } from '../support/registry';
import { FaultProxy, startFaultProxy } from '../support/fault-proxy';
import { attestationManifest, content, imageManifest, MT, PushClient } from '../support/oci';
import { buildxIndex } from '../registry/helpers/images';
import { basicAuth, dockerConfigDir } from '../registry/helpers/credential-helper';
import { quietLog } from '../audit/helpers';

const PASSWORD = 'repair-test-secret';
let registry: TestRegistry;
let locked: TestRegistry;
let noDelete: TestRegistry;
let proxy: FaultProxy;
let push: PushClient;
let env: NodeJS.ProcessEnv;
let client: RegistryClient;

beforeAll(async () => {
  [registry, locked, noDelete] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: htpasswdAuth({ alice: PASSWORD }) }),
    startRegistry({ delete: false }),
  ]);
  proxy = await startFaultProxy(registry.url);
  push = new PushClient(registry.url);
  env = {
    DOCKER_CONFIG: dockerConfigDir({ auths: { [locked.host]: { auth: basicAuth('alice', PASSWORD) } } }),
    BUILDX_GUARD_RETRY_BASE_MS: '1',
    BUILDX_GUARD_RETRIES: '0',
  };
  client = new RegistryClient({ insecureRegistries: [], log: quietLog(), env });
});
afterAll(async () => {
  await client.close();
  await proxy.stop();
  await Promise.all([registry.stop(), locked.stop(), noDelete.stop()]);
});
beforeEach(() => proxy.reset());

const repair = (values: Record<string, string>): Promise<RepairReport> =>
  runRepair(
    readRepairInputs((name) => values[name] ?? ''),
    quietLog(),
    env,
  );

const at = (host: string, repository: string) => ({ registry: host, domain: host, repository });
const served = async (host: string, repository: string, reference: string) =>
  (await client.getManifest(at(host, repository), reference))?.digest;
const writes = () => proxy.requests.filter((r) => !['GET', 'HEAD'].includes(r.method));

let n = 0;
const fresh = (prefix: string) => `${prefix}/r${++n}`;

describe('planStrip', () => {
  const single = buildxIndex(['linux/amd64'], 'annotation');
  const multi = buildxIndex(['linux/amd64', 'linux/arm64'], 'annotation');
  const bare = buildxIndex(['linux/amd64'], 'none');
  const image = imageManifest('linux/amd64', 'oci');
  const other = attestationManifest(imageManifest('linux/arm64', 'oci').descriptor, 'annotation');
  const body = (manifests: unknown[], extra: object = {}) =>
    Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MT.ociIndex, manifests, ...extra }));
  it.each<[string, Buffer, string]>([
    ['single-platform with attestation', single.bytes, 'strip'],
    ['an image manifest', image.bytes, 'image'],
    ['multi-platform', multi.bytes, 'multi-platform index (linux/amd64, linux/arm64)'],
    ['no attestation', bare.bytes, 'no attestation'],
    [
      'index annotations',
      body(
        single.children.map((c) => c.descriptor),
        { annotations: { a: 'b' } },
      ),
      'annotations',
    ],
    [
      'a subject',
      body(
        single.children.map((c) => c.descriptor),
        { subject: image.descriptor },
      ),
      'subject',
    ],
    [
      'an attestation of another image',
      body([image.descriptor, other.descriptor]),
      'does not name the image',
    ],
    ['a nested index', body([image.descriptor, single.descriptor]), 'neither its image nor attestations'],
    ['a broken descriptor', body([image.descriptor, { digest: 'nope' }]), 'not a valid descriptor'],
    ['not JSON', Buffer.from('{'), 'not an image index'],
  ])('%s', (_name, bytes, expected) => {
    const plan = planStrip(MT.ociIndex, bytes);
    expect(plan.kind === 'refuse' ? plan.reason : plan.kind).toContain(expected);
  });
});

describe('strip-attestations', () => {
  it.each(['annotation', 'artifact'] as const)(
    're-points a %s-form index to its image, digest unchanged',
    async (form) => {
      const repo = fresh('strip');
      const top = buildxIndex(['linux/amd64'], form);
      const [image, attestation] = top.children;
      await push.push(repo, ['v1'], top);
      const ref = `${proxy.host}/${repo}:v1`;

      const dry = await repair({ repair: 'strip-attestations', images: ref, 'delete-orphans': 'true' });
      expect(dry.results).toEqual([
        { ref, outcome: 'planned', reason: `old index ${top.descriptor.digest}` },
      ]);
      expect(dry.actions.map((a) => [a.action, a.digest, a.status])).toEqual([
        ['put-manifest', image.descriptor.digest, 'planned'],
        ['delete-manifest', attestation.descriptor.digest, 'planned'],
      ]);
      expect(writes()).toEqual([]);
      expect(await served(registry.host, repo, 'v1')).toBe(top.descriptor.digest);

      const applied = await repair({
        repair: 'strip-attestations',
        images: ref,
        apply: 'true',
        'delete-orphans': 'true',
      });
      expect(applied.results[0].outcome).toBe('repaired');
      expect(applied.actions.map((a) => [a.action, a.digest, a.status])).toEqual([
        ['put-manifest', image.descriptor.digest, 'done'],
        ['delete-manifest', attestation.descriptor.digest, 'done'],
      ]);
      const now = await client.getManifest(at(registry.host, repo), 'v1');
      expect([now?.digest, now?.mediaType, now?.bytes.equals(image.bytes)]).toEqual([
        image.descriptor.digest,
        MT.ociManifest,
        true,
      ]);
      expect(await served(registry.host, repo, attestation.descriptor.digest)).toBeUndefined();
      // The PUT came before the DELETE.
      expect(writes().map((r) => r.method)).toEqual(['PUT', 'DELETE']);
    },
  );

  it('keeps an attestation another tag still reaches', async () => {
    const repo = fresh('strip');
    const top = buildxIndex(['linux/amd64'], 'annotation');
    await push.push(repo, ['v1', 'pinned'], top);
    const report = await repair({
      repair: 'strip-attestations',
      images: `${registry.host}/${repo}:v1`,
      apply: 'true',
      'delete-orphans': 'true',
    });
    expect(report.actions.map((a) => [a.action, a.status])).toEqual([
      ['put-manifest', 'done'],
      ['delete-manifest', 'kept'],
    ]);
    expect(await served(registry.host, repo, top.children[1].descriptor.digest)).toBe(
      top.children[1].descriptor.digest,
    );
    expect(await served(registry.host, repo, 'pinned')).toBe(top.descriptor.digest);
  });

  it('refuses a multi-platform index and a dangling one, writing nothing', async () => {
    const repo = fresh('strip');
    await push.push(repo, ['multi'], buildxIndex(['linux/amd64', 'linux/arm64'], 'annotation'));
    const dangling = buildxIndex(['linux/amd64'], 'annotation');
    await push.push(repo, ['dangling'], dangling);
    await push.deleteManifest(repo, dangling.children[0].descriptor.digest);
    const report = await repair({
      repair: 'strip-attestations',
      images: `${proxy.host}/${repo}:multi\n${proxy.host}/${repo}:dangling`,
      apply: 'true',
      'delete-orphans': 'true',
    });
    expect(report.results.map((r) => [r.outcome, r.reason])).toEqual([
      ['refused', expect.stringContaining('multi-platform index')],
      ['refused', expect.stringContaining('is missing: heal the index first')],
    ]);
    expect(writes()).toEqual([]);
  });

  it('reports a registry that refuses DELETE, and still re-points', async () => {
    const top = buildxIndex(['linux/amd64'], 'annotation');
    await new PushClient(noDelete.url).push('strip/nodelete', ['v1'], top);
    const report = await repair({
      repair: 'strip-attestations',
      images: `${noDelete.host}/strip/nodelete:v1`,
      apply: 'true',
      'delete-orphans': 'true',
    });
    expect(report.actions.map((a) => a.status)).toEqual(['done', 'unsupported']);
    expect(report.results[0].outcome).toBe('repaired');
    expect(await served(noDelete.host, 'strip/nodelete', 'v1')).toBe(top.children[0].descriptor.digest);
  });

  it('cut before the PUT leaves the tag as it was; cut before the DELETE leaves it stripped; a re-run completes', async () => {
    const repo = fresh('strip');
    const top = buildxIndex(['linux/amd64'], 'annotation');
    const [image, attestation] = top.children;
    await push.push(repo, ['v1'], top);
    const values = {
      repair: 'strip-attestations',
      images: `${proxy.host}/${repo}:v1`,
      apply: 'true',
      'delete-orphans': 'true',
    };

    proxy.rules = [{ method: 'PUT', fault: { reset: true } }];
    await expect(repair(values)).rejects.toThrow();
    expect(await served(registry.host, repo, 'v1')).toBe(top.descriptor.digest);

    proxy.rules = [{ method: 'DELETE', fault: { reset: true } }];
    await expect(repair(values)).rejects.toThrow();
    expect(await served(registry.host, repo, 'v1')).toBe(image.descriptor.digest);
    expect(await served(registry.host, repo, attestation.descriptor.digest)).toBe(
      attestation.descriptor.digest,
    );

    proxy.rules = [];
    const resumed = await repair({ ...values, images: `${proxy.host}/${repo}:v1@${top.descriptor.digest}` });
    expect(resumed.results[0].outcome).toBe('nothing-to-do');
    expect(resumed.actions.map((a) => [a.action, a.status])).toEqual([['delete-manifest', 'done']]);
    expect(await served(registry.host, repo, attestation.descriptor.digest)).toBeUndefined();
    expect(await served(registry.host, repo, 'v1')).toBe(image.descriptor.digest);
  });
});

describe('heal', () => {
  /** A multi-platform index at `repo` with children deleted, and a full copy at `source`. */
  async function broken(
    target: PushClient,
    repo: string,
    sourcePush: PushClient,
    source: string,
    top = buildxIndex(['linux/amd64', 'linux/arm64'], 'annotation'),
  ) {
    await sourcePush.push(source, ['v1'], top);
    await target.push(repo, ['v1'], top);
    const [amd, amdAtt] = top.children;
    await target.deleteManifest(repo, amd.descriptor.digest);
    await target.deleteManifest(repo, amdAtt.descriptor.digest);
    await target.deleteBlob(repo, amd.blobs[1].descriptor.digest);
    return top;
  }

  it('restores a dangling index from another repository of the same registry (mounts), then verifies', async () => {
    const repo = fresh('heal');
    const source = fresh('heal-src');
    const top = await broken(push, repo, push, source);
    const values = { repair: 'heal', images: `${proxy.host}/${repo}:v1`, from: `${proxy.host}/${source}` };

    const dry = await repair(values);
    expect(dry.results[0].outcome).toBe('planned');
    expect(writes()).toEqual([]);

    const report = await repair({ ...values, apply: 'true' });
    expect(report.results[0].outcome).toBe('repaired');
    expect(report.actions.map((a) => [a.action, a.status])).toEqual([
      ['mount-blob', 'done'],
      ['put-manifest', 'done'],
      ['put-manifest', 'done'],
      ['put-manifest', 'done'],
      ['put-manifest', 'done'],
    ]);
    // Leaves first, the index last (by digest, then its tag).
    expect(report.actions.slice(-2).map((a) => a.reference)).toEqual([top.descriptor.digest, 'v1']);
    expect(report.verify?.images.map((i) => [i.ok, i.problems])).toEqual([[true, []]]);
    expect(
      writes()
        .filter((r) => r.method === 'POST')
        .every((r) => r.path.includes('mount=')),
    ).toBe(true);
  });

  it('copies from another registry with credentials, each sent only to its own registry', async () => {
    const repo = fresh('heal');
    const top = await broken(
      push,
      repo,
      new PushClient(locked.url, { authorization: `Basic ${basicAuth('alice', PASSWORD)}` }),
      'src/app',
    );
    const report = await repair({
      repair: 'heal',
      images: `${proxy.host}/${repo}:v1`,
      from: `${locked.host}/src/app`,
      apply: 'true',
    });
    expect(report.results[0].outcome).toBe('repaired');
    expect(report.actions[0]).toMatchObject({
      action: 'copy-blob',
      digest: top.children[0].blobs[1].descriptor.digest,
      status: 'done',
    });
    expect(report.verify?.images[0].ok).toBe(true);
    expect(proxy.requests.every((r) => r.headers.authorization === undefined)).toBe(true);
  });

  it('a copy cut while reading the source leaves the target resolvable, and a re-run completes', async () => {
    const repo = 'heal/cut-copy';
    const auth = { authorization: `Basic ${basicAuth('alice', PASSWORD)}` };
    const top = await broken(new PushClient(locked.url, auth), repo, push, 'heal-src/cut-copy');
    const values = {
      repair: 'heal',
      images: `${locked.host}/${repo}:v1`,
      from: `${proxy.host}/heal-src/cut-copy`,
      apply: 'true',
    };
    proxy.rules = [{ method: 'GET', path: /\/blobs\//, fault: { reset: true }, times: 1 }];
    await expect(repair(values)).rejects.toThrow();
    expect(proxy.requests.filter((r) => r.fault)).toHaveLength(1);
    expect(await served(locked.host, repo, 'v1')).toBe(top.descriptor.digest);
    const again = await repair(values);
    expect([again.results[0].outcome, again.verify?.images[0].ok]).toEqual(['repaired', true]);
  });

  it('writes nothing for an index whose child the source lacks too', async () => {
    const repo = fresh('heal');
    const source = fresh('heal-src');
    const top = buildxIndex(['linux/amd64'], 'annotation');
    await push.push(repo, ['v1'], top);
    await push.push(source, ['other'], imageManifest('linux/amd64', 'oci'));
    await push.deleteManifest(repo, top.children[0].descriptor.digest);
    const report = await repair({
      repair: 'heal',
      images: `${proxy.host}/${repo}:v1`,
      from: `${proxy.host}/${source}`,
      apply: 'true',
    });
    expect(report.results[0]).toEqual({
      ref: `${proxy.host}/${repo}:v1`,
      outcome: 'refused',
      reason: `${proxy.host}/${source} lacks ${top.children[0].descriptor.digest} too: nothing was written for this index`,
    });
    expect(writes()).toEqual([]);
  });

  it('heals a nested index: its children, then it, then the top', async () => {
    const repo = fresh('heal');
    const source = fresh('heal-src');
    const inner = buildxIndex(['linux/amd64'], 'none');
    const top = content(MT.ociIndex, {
      schemaVersion: 2,
      mediaType: MT.ociIndex,
      manifests: [inner.descriptor],
    });
    for (const repository of [source, repo]) {
      await push.push(repository, [], inner);
      await push.pushManifest(repository, 'v1', top);
    }
    await push.deleteManifest(repo, inner.children[0].descriptor.digest);
    await push.deleteManifest(repo, inner.descriptor.digest);
    const report = await repair({
      repair: 'heal',
      images: `${registry.host}/${repo}:v1`,
      from: `${registry.host}/${source}`,
      apply: 'true',
    });
    expect(report.actions.filter((a) => a.action === 'put-manifest').map((a) => a.digest)).toEqual([
      inner.children[0].descriptor.digest,
      inner.descriptor.digest,
      top.descriptor.digest,
      top.descriptor.digest,
    ]);
    expect(await served(registry.host, repo, inner.descriptor.digest)).toBe(inner.descriptor.digest);
  });

  it('cut at each write in turn leaves the tag resolvable, and a re-run completes', async () => {
    const source = fresh('heal-src');
    const healOnce = async (repo: string, rule?: { method: string; path: RegExp }) => {
      proxy.reset();
      if (rule) proxy.rules = [{ ...rule, fault: { reset: true }, times: 1 }];
      return repair({
        repair: 'heal',
        images: `${proxy.host}/${repo}:v1`,
        from: `${proxy.host}/${source}`,
        apply: 'true',
      });
    };
    // A run without faults gives the writes, in order; each is then cut in a fresh copy of the same damage.
    const first = fresh('heal');
    const shape = await broken(push, first, push, source);
    await healOnce(first);
    const steps = writes().map((r) => ({ method: r.method, path: r.path.replace(first, '{repo}') }));
    expect(steps.map((s) => s.method)).toEqual(['POST', 'PUT', 'PUT', 'PUT', 'PUT']);
    for (const step of steps) {
      const repo = fresh('heal');
      const top = await broken(push, repo, push, source, shape);
      const path = new RegExp(
        `^${step.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\{repo\\}', repo)}$`,
      );
      await expect(healOnce(repo, { method: step.method, path })).rejects.toThrow();
      expect(proxy.requests.filter((r) => r.fault)).toHaveLength(1);
      expect(await served(registry.host, repo, 'v1')).toBe(top.descriptor.digest);
      const again = await healOnce(repo);
      // Cut at the last put (the tag), every child is back already: nothing is left to do.
      expect(['repaired', 'nothing-to-do']).toContain(again.results[0].outcome);
      expect(again.verify?.images[0].problems).toEqual([]);
    }
  });
});
