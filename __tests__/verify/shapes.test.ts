// Every image shape of issue 3, pushed to the real registry and verified through the library API.
import { startRegistry, TestRegistry } from '../support/registry';
import { attestationManifest, imageManifest, index, Index, Manifest, MT, PushClient } from '../support/oci';
import { verifyImages } from '../../src/core/verification';
import { Expectation, ImageReport } from '../../src/core/verification/report';
import { buildxIndex, expectation } from '../registry/helpers/images';
import { recordingLog } from '../registry/helpers/recording-log';

let registry: TestRegistry;
let push: PushClient;
beforeAll(async () => {
  registry = await startRegistry();
  push = new PushClient(registry.url);
});
afterAll(() => registry.stop());

let repoCount = 0;
/** Pushes `top` to a fresh repository under tag v1 and returns the tag reference. */
async function pushed(top: Manifest | Index): Promise<string> {
  const repo = `shapes/r${++repoCount}`;
  await push.push(repo, ['v1'], top);
  return `${registry.host}/${repo}:v1`;
}

async function verify(ref: string, overrides: Partial<Expectation> = {}): Promise<ImageReport> {
  const report = await verifyImages([ref], expectation(overrides), {
    insecureRegistries: [],
    log: recordingLog(),
  });
  return report.images[0];
}

const codes = (report: ImageReport) => report.problems.map((p) => p.code);

describe('shapes against the real registry', () => {
  it('a plain Docker manifest passes as a manifest and fails where an index or OCI types are expected', async () => {
    const image = imageManifest('linux/amd64', 'docker');
    const ref = await pushed(image);
    const report = await verify(ref, { shape: 'manifest' });
    expect(report).toEqual({
      ref,
      digest: image.descriptor.digest,
      mediaType: MT.dockerManifest,
      ok: true,
      children: [],
      problems: [],
    });
    expect(codes(await verify(ref, { shape: 'index' }))).toEqual(['unexpected-manifest']);
    expect(codes(await verify(ref, { mediaTypes: 'oci' }))).toEqual(['media-type-family']);
    expect(codes(await verify(ref, { mediaTypes: 'docker', platforms: ['linux/amd64'] }))).toEqual([]);
  });

  it('an OCI manifest passes, except for Docker-only consumers', async () => {
    const ref = await pushed(imageManifest('linux/arm64', 'oci'));
    const report = await verify(ref, { shape: 'manifest', mediaTypes: 'oci' });
    expect([report.ok, report.mediaType]).toEqual([true, MT.ociManifest]);
    expect(codes(await verify(ref, { mediaTypes: 'docker' }))).toEqual(['media-type-family']);
  });

  it.each(['annotation', 'artifact'] as const)(
    'a buildx single-platform index with an attestation child (%s form)',
    async (form) => {
      const top = buildxIndex(['linux/amd64'], form);
      const [image, attestation] = top.children;
      const ref = await pushed(top);
      const report = await verify(ref, { shape: 'manifest' });
      expect(report.mediaType).toBe(MT.ociIndex);
      expect(report.digest).toBe(top.descriptor.digest);
      expect(report.children).toEqual([
        {
          digest: image.descriptor.digest,
          mediaType: MT.ociManifest,
          platform: 'linux/amd64',
          kind: 'image',
          present: true,
        },
        {
          digest: attestation.descriptor.digest,
          mediaType: MT.ociManifest,
          platform: 'unknown/unknown',
          kind: 'attestation',
          present: true,
        },
      ]);
      expect(report.problems.map((p) => [p.code, p.digest])).toEqual([
        ['unexpected-index', top.descriptor.digest],
        ['attestation-child', attestation.descriptor.digest],
      ]);
      expect(codes(await verify(ref))).toEqual(['attestation-child']);
      expect(
        codes(await verify(ref, { shape: 'index', attestations: 'allow', platforms: ['linux/amd64'] })),
      ).toEqual([]);
    },
  );

  it('the artifact form is recognised from the child itself when fetched (verify-blobs)', async () => {
    const image = imageManifest('linux/amd64', 'oci');
    const attestation = attestationManifest(image.descriptor, 'artifact');
    // A descriptor that carries neither the annotation nor the artifactType: only the child's body says what it is.
    delete attestation.descriptor.annotations;
    delete attestation.descriptor.artifactType;
    const ref = await pushed(index([image, attestation]));
    expect(codes(await verify(ref, { attestations: 'allow' }))).toEqual(['platform-mismatch']);
    const fetched = await verify(ref, { attestations: 'allow', verifyBlobs: true });
    expect(fetched.children.map((c) => c.kind)).toEqual(['image', 'attestation']);
    expect(fetched.ok).toBe(true);
  });

  it('a multi-platform index without attestations passes with exactly its platforms', async () => {
    const ref = await pushed(buildxIndex(['linux/amd64', 'linux/arm64', 'linux/arm/v7'], 'none'));
    const report = await verify(ref, {
      shape: 'index',
      platforms: ['linux/amd64', 'linux/arm64/v8', 'linux/arm'],
    });
    expect(report.ok).toBe(true);
    expect(report.children.map((c) => `${c.platform} ${c.kind} ${c.present}`)).toEqual([
      'linux/amd64 image true',
      'linux/arm64 image true',
      'linux/arm/v7 image true',
    ]);
  });

  it('a multi-platform index with attestations fails on each attestation unless they are allowed', async () => {
    const top = buildxIndex(['linux/amd64', 'linux/arm64'], 'annotation');
    const ref = await pushed(top);
    const denied = await verify(ref, { shape: 'index', platforms: ['linux/amd64', 'linux/arm64'] });
    expect(denied.problems.map((p) => [p.code, p.digest])).toEqual([
      ['attestation-child', top.children[1].descriptor.digest],
      ['attestation-child', top.children[3].descriptor.digest],
    ]);
    expect(
      (
        await verify(ref, {
          shape: 'index',
          attestations: 'allow',
          platforms: ['linux/amd64', 'linux/arm64'],
        })
      ).ok,
    ).toBe(true);
  });

  it('a Docker manifest list passes for Docker-only consumers', async () => {
    const list = index(
      [imageManifest('linux/amd64', 'docker'), imageManifest('linux/arm64', 'docker')],
      MT.dockerList,
    );
    const ref = await pushed(list);
    const report = await verify(ref, {
      shape: 'index',
      mediaTypes: 'docker',
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    expect([report.ok, report.mediaType, report.children.length]).toEqual([true, MT.dockerList, 2]);
    expect(codes(await verify(ref, { mediaTypes: 'oci' }))).toEqual([
      'media-type-family',
      'media-type-family',
      'media-type-family',
    ]);
  });

  it('a dangling index: a child deleted by digest is a missing child', async () => {
    const top = buildxIndex(['linux/amd64', 'linux/arm64'], 'none');
    const ref = await pushed(top);
    const gone = top.children[1].descriptor.digest;
    await push.deleteManifest(`shapes/r${repoCount}`, gone);
    const report = await verify(ref, { shape: 'index' });
    expect(report.children.map((c) => c.present)).toEqual([true, false]);
    expect(report.problems).toEqual([
      {
        code: 'missing-child',
        message: `Child ${gone} (linux/arm64) is missing from the registry: the index is dangling and pulls will fail.`,
        digest: gone,
      },
    ]);
  });

  it('a missing layer blob is found only with verify-blobs', async () => {
    const top = buildxIndex(['linux/amd64'], 'none');
    const ref = await pushed(top);
    const layer = top.children[0].blobs[1].descriptor.digest;
    await push.deleteBlob(`shapes/r${repoCount}`, layer);
    expect((await verify(ref)).ok).toBe(true);
    const report = await verify(ref, { verifyBlobs: true });
    expect(report.problems.map((p) => [p.code, p.digest])).toEqual([['missing-blob', layer]]);
  });

  it('a missing config blob of a plain manifest is found with verify-blobs', async () => {
    const image = imageManifest('linux/amd64', 'oci');
    const ref = await pushed(image);
    await push.deleteBlob(`shapes/r${repoCount}`, image.blobs[0].descriptor.digest);
    expect(codes(await verify(ref, { verifyBlobs: true }))).toEqual(['missing-blob']);
  });

  it('a platform mismatch, in an index and in a single manifest (read from its config)', async () => {
    const indexRef = await pushed(buildxIndex(['linux/amd64'], 'none'));
    const report = await verify(indexRef, { platforms: ['linux/amd64', 'linux/arm64'] });
    expect(report.problems.map((p) => p.message)).toEqual([
      `${indexRef} has no image for linux/arm64, which was expected.`,
    ]);
    const manifestRef = await pushed(imageManifest('linux/arm64', 'docker'));
    expect(
      (await verify(manifestRef, { platforms: ['linux/amd64'] })).problems.map((p) => p.message),
    ).toEqual([`${manifestRef} is a single image for linux/arm64, but linux/amd64 was expected.`]);
  });

  it('a tag, and a repository, that do not exist are not-found violations', async () => {
    const ref = await pushed(imageManifest('linux/amd64', 'oci'));
    for (const missing of [ref.replace(':v1', ':nope'), `${registry.host}/shapes/none:v1`]) {
      const report = await verify(missing);
      expect([report.ok, codes(report), report.digest]).toEqual([false, ['not-found'], '']);
    }
  });

  it('by digest: the right digest passes, an unknown one is not found', async () => {
    const top = buildxIndex(['linux/amd64'], 'none');
    const ref = await pushed(top);
    const byDigest = ref.replace(':v1', `@${top.descriptor.digest}`);
    const report = await verify(byDigest);
    expect([report.ok, report.digest, report.ref]).toEqual([true, top.descriptor.digest, byDigest]);
    expect(codes(await verify(ref.replace(':v1', `@sha256:${'f'.repeat(64)}`)))).toEqual(['not-found']);
  });

  it('unexpected children: unknown/unknown without the annotation and a nested index', async () => {
    const image = imageManifest('linux/amd64', 'oci');
    const stray = imageManifest('unknown/unknown', 'oci');
    const nested = index([imageManifest('linux/arm64', 'oci')]);
    const repo = `shapes/r${++repoCount}`;
    await push.push(repo, ['inner'], nested);
    const outer = index([image, stray, { ...nested, blobs: [] }]);
    await push.push(repo, ['v1'], outer);
    const report = await verify(`${registry.host}/${repo}:v1`, { attestations: 'allow' });
    expect(report.children.map((c) => [c.kind, c.present])).toEqual([
      ['image', true],
      ['unknown', true],
      ['unknown', true],
    ]);
    expect(report.problems.map((p) => [p.code, p.digest])).toEqual([
      ['platform-mismatch', stray.descriptor.digest],
      ['unsupported-media-type', nested.descriptor.digest],
    ]);
  });

  it('verifies several references in one call, keeping their order', async () => {
    const a = await pushed(imageManifest('linux/amd64', 'oci'));
    const b = await pushed(buildxIndex(['linux/amd64'], 'annotation'));
    const report = await verifyImages([b, a, `${registry.host}/shapes/none:x`], expectation(), {
      insecureRegistries: [],
      log: recordingLog(),
    });
    expect(report.images.map((image) => [image.ref, image.ok])).toEqual([
      [b, false],
      [a, true],
      [`${registry.host}/shapes/none:x`, false],
    ]);
  });
});

describe('garbage collection', () => {
  it('docker-registry garbage-collect --delete-untagged leaves a dangling index, and verify says so', async () => {
    const gcRegistry = await startRegistry();
    try {
      const top = buildxIndex(['linux/amd64', 'linux/arm64'], 'annotation');
      await new PushClient(gcRegistry.url).push('gc/app', ['v1'], top);
      const ref = `${gcRegistry.host}/gc/app:v1`;
      expect((await verify(ref, { attestations: 'allow' })).ok).toBe(true);

      const output = gcRegistry.garbageCollect(['--delete-untagged']);
      for (const child of top.children)
        expect(output).toContain(`manifest eligible for deletion: ${child.descriptor.digest}`);
      expect(output).not.toContain(`manifest eligible for deletion: ${top.descriptor.digest}`);

      const report = await verify(ref, { attestations: 'allow' });
      expect(report.digest).toBe(top.descriptor.digest);
      expect(report.children.map((c) => c.present)).toEqual([false, false, false, false]);
      expect(report.problems.map((p) => [p.code, p.digest])).toEqual(
        top.children.map((child) => ['missing-child', child.descriptor.digest]),
      );
    } finally {
      await gcRegistry.stop();
    }
  });
});
