// Audit against the real registry: totals checked against the bytes the registry stores, the keep-set
// against what was pushed, and each distinct manifest fetched once.
import { htpasswdAuth, startRegistry, TestRegistry } from '../support/registry';
import { basicAuth, dockerConfigDir } from '../registry/helpers/credential-helper';
import { FaultProxy, startFaultProxy } from '../support/fault-proxy';
import { imageManifest, index, MT, PushClient } from '../support/oci';
import { buildxIndex } from '../registry/helpers/images';
import { runAudit } from '../../src/modes/audit/audit';
import { readAuditInputs } from '../../src/modes/audit/inputs';
import { digestsOf, pushNested, quietLog, storedBytes } from './helpers';

let registry: TestRegistry;
let proxy: FaultProxy;
let push: PushClient;
beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry.url);
  push = new PushClient(registry.url);
});
afterAll(async () => {
  await proxy.stop();
  await registry.stop();
});
beforeEach(() => proxy.reset());

const audit = (repositories: string[], values: Record<string, string> = {}) =>
  runAudit(
    readAuditInputs((name) => ({ repositories: repositories.join('\n'), ...values })[name] ?? ''),
    quietLog(),
    { BUILDX_GUARD_RETRY_BASE_MS: '5' },
  );

describe('audit of one repository holding every shape', () => {
  const repo = 'mix/app';
  const plain = imageManifest('linux/amd64', 'docker');
  const single = buildxIndex(['linux/amd64'], 'annotation');
  const artifact = buildxIndex(['linux/arm64'], 'artifact');
  const multi = buildxIndex(['linux/amd64', 'linux/arm64'], 'annotation');
  const dockerList = index(
    [imageManifest('linux/amd64', 'docker'), imageManifest('linux/arm64', 'docker')],
    MT.dockerList,
  );
  const dangling = buildxIndex(['linux/amd64'], 'annotation');
  let nested: Awaited<ReturnType<typeof pushNested>>;

  beforeAll(async () => {
    await push.push(repo, ['plain'], plain);
    await push.push(repo, ['single', 'single-again'], single);
    await push.push(repo, ['artifact'], artifact);
    await push.push(repo, ['multi'], multi);
    await push.push(repo, ['list'], dockerList);
    await push.push(repo, ['dangling'], dangling);
    await push.deleteManifest(repo, dangling.children[0].descriptor.digest);
    nested = await pushNested(push, repo, 'nested');
  });

  it('totals attestation manifests and their bytes as stored, a shared one counted once', async () => {
    const { report } = await audit([`${registry.host}/${repo}`]);
    const [result] = report.repositories;
    // Every attestation manifest that is present, with its config and in-toto layer.
    const attestations = [single, artifact, multi, dangling].flatMap((top) =>
      top.children.filter((child) => child.descriptor.platform?.os === 'unknown'),
    );
    const stored = attestations.flatMap((a) => [
      a.descriptor.digest,
      ...a.blobs.map((b) => b.descriptor.digest),
    ]);
    const bytes = stored.reduce((sum, digest) => sum + storedBytes(registry, digest), 0);
    expect(result.totals).toEqual({
      tags: 8,
      failing: 5,
      shapes: { manifest: 1, 'attestation-index': 4, 'multi-platform-index': 2, index: 1 },
      attestationManifests: 5,
      attestationBytes: bytes,
      danglingIndexes: 1,
      missingChildren: 1,
    });
    const byTag = Object.fromEntries(result.tags.map((tag) => [tag.tag, tag]));
    expect(byTag.single).toEqual({
      tag: 'single',
      digest: single.descriptor.digest,
      mediaType: MT.ociIndex,
      shape: 'attestation-index',
      ok: false,
      attestations: 1,
      attestationBytes: [
        single.children[1].descriptor.digest,
        ...single.children[1].blobs.map((b) => b.descriptor.digest),
      ]
        .map((digest) => storedBytes(registry, digest))
        .reduce((a, b) => a + b, 0),
      missing: [],
      problems: [
        expect.objectContaining({ code: 'attestation-child', digest: single.children[1].descriptor.digest }),
      ],
    });
    expect(byTag.multi.ok).toBe(true);
    expect(byTag.list.ok).toBe(true);
    expect(byTag.plain.ok).toBe(true);
    expect(byTag.dangling.missing).toEqual([dangling.children[0].descriptor.digest]);
    expect(byTag.dangling.problems.map((p) => p.code)).toEqual(['missing-child', 'attestation-child']);
    expect(byTag.nested.problems.map((p) => p.code)).toEqual(['unsupported-media-type']);
  });

  it('writes a keep-set of exactly the digests the tags reach', async () => {
    const { keepSet } = await audit([`${registry.host}/${repo}`]);
    const expected = new Set([
      ...digestsOf(plain),
      ...digestsOf(single),
      ...digestsOf(artifact),
      ...digestsOf(multi),
      ...digestsOf(dockerList),
      // The deleted child stays in (the index still names it, and a heal brings it back); its blobs are
      // unknowable without it.
      ...digestsOf(dangling).filter(
        (d) => !dangling.children[0].blobs.some((b) => b.descriptor.digest === d),
      ),
      ...nested.digests,
    ]);
    expect(keepSet).toEqual([...expected].sort());
  });

  it('fetches each distinct manifest once, HEADs no manifest, and touches no blob without verify-blobs', async () => {
    await audit([`${proxy.host}/${repo}`]);
    const manifestGets = proxy.requests.filter((r) => r.method === 'GET' && r.path.includes('/manifests/'));
    const paths = manifestGets.map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
    // 8 tags, and by digest: single 2, artifact 2, multi 4, list 2, dangling 2, nested 2 + inner's 1.
    expect(paths.length).toBe(8 + 15);
    expect(proxy.requests.filter((r) => r.method === 'HEAD' && r.path.includes('/manifests/'))).toEqual([]);
    expect(proxy.requests.filter((r) => r.path.includes('/blobs/'))).toEqual([]);
  });

  it('with verify-blobs, HEADs each distinct blob once', async () => {
    await audit([`${proxy.host}/${repo}`], { 'verify-blobs': 'true' });
    const heads = proxy.requests
      .filter((r) => r.method === 'HEAD' && r.path.includes('/blobs/'))
      .map((r) => r.path);
    expect(heads.length).toBeGreaterThan(0);
    expect(new Set(heads).size).toBe(heads.length);
  });

  it('audits one tag with name:tag, and applies require', async () => {
    const { report } = await audit([`${registry.host}/${repo}:multi`], { attestations: 'require' });
    expect(report.repositories[0].tags.map((t) => [t.tag, t.ok])).toEqual([['multi', true]]);
    const list = await audit([`${registry.host}/${repo}:list`], { attestations: 'require' });
    expect(list.report.repositories[0].tags[0].problems.map((p) => p.code)).toEqual([
      'missing-attestation',
      'missing-attestation',
    ]);
  });
});

describe('audit across repositories', () => {
  it('walks the catalog, and counts a blob shared by two repositories in each', async () => {
    const fresh = await startRegistry();
    try {
      const pushFresh = new PushClient(fresh.url);
      await pushFresh.push('a/one', ['v1'], buildxIndex(['linux/amd64'], 'annotation'));
      await pushFresh.push('b/two', ['v1', 'v2'], imageManifest('linux/amd64', 'oci'));
      const { report } = await audit([], { catalog: fresh.host });
      expect(report.repositories.map((r) => [r.repository, r.totals.tags, r.totals.failing])).toEqual([
        [`${fresh.host}/a/one`, 1, 1],
        [`${fresh.host}/b/two`, 2, 0],
      ]);
    } finally {
      await fresh.stop();
    }
  });

  it('finds the dangling index that garbage-collect --delete-untagged leaves', async () => {
    const gc = await startRegistry();
    try {
      const top = buildxIndex(['linux/amd64', 'linux/arm64'], 'annotation');
      await new PushClient(gc.url).push('gc/app', ['v1'], top);
      gc.garbageCollect(['--delete-untagged']);
      const { report } = await audit([`${gc.host}/gc/app`]);
      const [tag] = report.repositories[0].tags;
      expect(tag.missing.length).toBeGreaterThan(0);
      expect(report.repositories[0].totals.danglingIndexes).toBe(1);
      expect(tag.problems.map((p) => p.code)).toContain('missing-child');
    } finally {
      await gc.stop();
    }
  });

  it('reads a registry with htpasswd through the docker config, and says so when credentials are missing', async () => {
    const locked = await startRegistry({ auth: htpasswdAuth({ alice: 'audit-secret' }) });
    try {
      const auth = `Basic ${basicAuth('alice', 'audit-secret')}`;
      await new PushClient(locked.url, { authorization: auth }).push(
        'priv/app',
        ['v1'],
        buildxIndex(['linux/amd64', 'linux/arm64'], 'artifact'),
      );
      const config = dockerConfigDir({
        auths: { [locked.host]: { auth: basicAuth('alice', 'audit-secret') } },
      });
      const inputs = readAuditInputs((name) => (name === 'repositories' ? `${locked.host}/priv/app` : ''));
      const { report } = await runAudit(inputs, quietLog(), { DOCKER_CONFIG: config });
      expect(report.repositories[0].totals).toMatchObject({ tags: 1, failing: 0, attestationManifests: 2 });
      await expect(runAudit(inputs, quietLog(), { DOCKER_CONFIG: '/nonexistent/bxg' })).rejects.toThrow(
        /asks for a user name and password/,
      );
    } finally {
      await locked.stop();
    }
  });

  it('a registry that cannot be reached is could-not-check, never a pass', async () => {
    await expect(audit(['127.0.0.1:1/none/here'], {})).rejects.toThrow(/127\.0\.0\.1:1/);
  });
});
