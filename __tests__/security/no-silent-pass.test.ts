// Classes 3, 4 and 5: a check that was asked for and could not be done never passes; the body decides what a
// manifest is together with its Content-Type; build mode's tags must serve the digest buildx pushed.
// The real registry where it can produce the state, a hostile one on 127.0.0.1 for answers it never gives.
import { verifyImages } from '../../src/core/verification';
import { Expectation, ImageReport, ProblemCode } from '../../src/core/verification/report';
import { runGuardedBuild } from '../../src/modes/build/run';
import { specFromBuildxArgs } from '../../src/modes/build/spec';
import { readGuardOptions } from '../../src/modes/build/inputs';
import { Docker } from '../../src/modes/build/docker';
import { attestationManifest, imageManifest, index, MT, PushClient, sha256 } from '../support/oci';
import { startRegistry, TestRegistry } from '../support/registry';
import { HostileRegistry, startHostileRegistry } from '../support/hostile-registry';
import { expectation } from '../registry/helpers/images';
import { recordingLog } from '../registry/helpers/recording-log';
import { cleanEnv, runCli } from '../registry/helpers/cli';

let registry: TestRegistry;
let push: PushClient;
let hostile: HostileRegistry;
beforeAll(async () => {
  [registry, hostile] = await Promise.all([startRegistry(), startHostileRegistry()]);
  push = new PushClient(registry.url);
});
afterAll(() => Promise.all([registry.stop(), hostile.stop()]));

async function verify(ref: string, overrides: Partial<Expectation>): Promise<ImageReport> {
  const report = await verifyImages([ref], expectation(overrides), {
    insecureRegistries: [],
    log: recordingLog(),
  });
  return report.images[0];
}
const codes = (image: ImageReport): ProblemCode[] => image.problems.map((p) => p.code);

/** An image manifest body on the hostile registry, with its config blob. */
function hostileImage(repo: string, config: unknown = { os: 'linux', architecture: 'amd64' }) {
  const digest = hostile.blob(repo, config);
  const size = Buffer.byteLength(JSON.stringify(config));
  return {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: { mediaType: MT.ociConfig, digest, size },
    layers: [] as unknown[],
  };
}

describe('class 3: no silent pass', () => {
  it('a manifest whose config blob is gone cannot pass a platform check (real registry)', async () => {
    const image = imageManifest('linux/amd64', 'docker');
    await push.push('nsp/noconfig', ['v1'], image);
    await push.deleteBlob('nsp/noconfig', image.blobs[0].descriptor.digest);
    const report = await verify(`${registry.host}/nsp/noconfig:v1`, {
      shape: 'manifest',
      platforms: ['linux/arm64'],
    });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'missing-blob', digest: image.blobs[0].descriptor.digest }),
    ]);
  });

  it.each([
    ['declares no os or architecture', { config: {} }],
    ['is not JSON', { config: Buffer.from('not json') }],
  ])('a config that %s cannot pass a platform check', async (_name, { config }) => {
    const repo = `nsp/config-${Math.random().toString(36).slice(2)}`;
    hostile.manifest(repo, MT.ociManifest, hostileImage(repo, config), ['v1']);
    const report = await verify(`${hostile.host}/${repo}:v1`, {
      shape: 'manifest',
      platforms: ['linux/amd64'],
    });
    expect(codes(report)).toEqual(['platform-mismatch']);
    expect(report.problems[0].message).toMatch(/cannot be checked against linux\/amd64/);
  });

  it('a config blob served as other bytes cannot pass a platform check', async () => {
    const body = hostileImage('nsp/corrupt');
    hostile.serve('nsp/corrupt', `blobs/${body.config.digest}`, {
      contentType: 'application/octet-stream',
      bytes: Buffer.from('{"os":"linux","architecture":"arm64"}'),
    });
    hostile.manifest('nsp/corrupt', MT.ociManifest, body, ['v1']);
    const report = await verify(`${hostile.host}/nsp/corrupt:v1`, { platforms: ['linux/arm64'] });
    expect(codes(report)).toEqual(['platform-mismatch']);
    expect(report.problems[0].message).toContain('served other bytes for its config blob');
  });

  it('--verify-blobs reports layer entries that are not descriptors instead of dropping them', async () => {
    const body = hostileImage('nsp/badlayer');
    body.layers = [{ mediaType: MT.ociLayer, digest: 'sha256:../../etc', size: 1 }, 'junk'];
    hostile.manifest('nsp/badlayer', MT.ociManifest, body, ['v1']);
    const report = await verify(`${hostile.host}/nsp/badlayer:v1`, { verifyBlobs: true });
    expect(codes(report)).toEqual(['unsupported-media-type', 'unsupported-media-type']);
    expect(report.problems[1].message).toContain('"junk"');
  });

  it('an index with no children does not pass --expect index', async () => {
    hostile.manifest('nsp/empty', MT.ociIndex, { schemaVersion: 2, mediaType: MT.ociIndex, manifests: [] }, [
      'v1',
    ]);
    const report = await verify(`${hostile.host}/nsp/empty:v1`, { shape: 'index' });
    expect(codes(report)).toEqual(['missing-child']);
  });

  it('an index child that is {} is a problem', async () => {
    const child = hostile.manifest('nsp/emptychild', MT.ociManifest, hostileImage('nsp/emptychild'));
    const entry = {
      mediaType: MT.ociManifest,
      digest: child,
      size: Buffer.byteLength(JSON.stringify(hostileImage('nsp/emptychild'))),
      platform: { os: 'linux', architecture: 'amd64' },
    };
    hostile.manifest(
      'nsp/emptychild',
      MT.ociIndex,
      { schemaVersion: 2, mediaType: MT.ociIndex, manifests: [entry, {}] },
      ['v1'],
    );
    const report = await verify(`${hostile.host}/nsp/emptychild:v1`, { shape: 'index' });
    expect(codes(report)).toEqual(['unsupported-media-type']);
  });

  it.each([
    ['{}', Buffer.from('{}')],
    ['not JSON', Buffer.from('<html>')],
  ])('an index child served as %s does not pass --verify-blobs', async (_name, bytes) => {
    const repo = `nsp/child-${Math.random().toString(36).slice(2)}`;
    const digest = sha256(bytes);
    hostile.serve(repo, `manifests/${digest}`, { contentType: MT.ociManifest, bytes });
    const entry = {
      mediaType: MT.ociManifest,
      digest,
      size: bytes.length,
      platform: { os: 'linux', architecture: 'amd64' },
    };
    hostile.manifest(repo, MT.ociIndex, { schemaVersion: 2, mediaType: MT.ociIndex, manifests: [entry] }, [
      'v1',
    ]);
    const report = await verify(`${hostile.host}/${repo}:v1`, {
      verifyBlobs: true,
      platforms: ['linux/amd64'],
    });
    expect(report.ok).toBe(false);
    expect(codes(report)).toContain('unsupported-media-type');
    expect(report.problems.map((p) => p.message).join('\n')).toContain('not a well-formed image manifest');
  });

  it('a stale attestation (for an image the index does not hold) does not pass (real registry)', async () => {
    const image = imageManifest('linux/amd64', 'oci');
    const gone = imageManifest('linux/amd64', 'oci');
    await push.push('nsp/stale', ['v1'], index([image, attestationManifest(gone.descriptor, 'annotation')]));
    const report = await verify(`${registry.host}/nsp/stale:v1`, { attestations: 'allow' });
    expect(codes(report)).toEqual(['attestation-child']);
    expect(report.problems[0].message).toContain(
      `attestation for ${gone.descriptor.digest}, which is no image of`,
    );
  });

  it('--format json holds every reference: the good verdict, and "could not check" with the reason', async () => {
    await push.push('nsp/good', ['v1'], imageManifest('linux/amd64', 'oci'));
    const closed = await startRegistry();
    await closed.stop();
    const good = `${registry.host}/nsp/good:v1`;
    const lost = `${closed.host}/nsp/good:v1`;
    const run = await runCli(
      ['verify', '--format', 'json', good, lost],
      cleanEnv({ BUILDX_GUARD_RETRIES: '0' }),
    );
    expect(run.status).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.images.map((image: ImageReport) => [image.ref, image.ok, codes(image)])).toEqual([
      [good, true, []],
      [lost, false, ['could-not-check']],
    ]);
    expect(report.images[1].problems[0].message).toContain('ECONNREFUSED');
  });
});

describe('class 4: the body decides, with the Content-Type', () => {
  it('a manifest-typed body that also carries an index of attestations does not pass --expect manifest', async () => {
    const body = {
      ...hostileImage('ct/hybrid'),
      manifests: [{ mediaType: MT.ociManifest, digest: sha256(Buffer.from('x')), size: 1 }],
    };
    hostile.manifest('ct/hybrid', MT.ociManifest, body, ['v1']);
    const report = await verify(`${hostile.host}/ct/hybrid:v1`, { shape: 'manifest' });
    expect(codes(report)).toEqual(['content-type-mismatch']);
  });

  it('an OCI body served as a Docker type does not pass --media-types docker', async () => {
    hostile.manifest('ct/oci-as-docker', MT.dockerManifest, hostileImage('ct/oci-as-docker'), ['v1']);
    const report = await verify(`${hostile.host}/ct/oci-as-docker:v1`, { mediaTypes: 'docker' });
    expect(codes(report)).toEqual(['content-type-mismatch']);
    expect(report.problems[0].message).toContain(
      `served as ${MT.dockerManifest}, but its body says ${MT.ociManifest}`,
    );
  });

  it('an index body served as a manifest type does not pass', async () => {
    hostile.manifest('ct/index-as-manifest', MT.ociManifest, { schemaVersion: 2, manifests: [] }, ['v1']);
    const report = await verify(`${hostile.host}/ct/index-as-manifest:v1`, {});
    expect(codes(report)).toContain('content-type-mismatch');
  });

  it('an index child whose body is an index, served as a manifest, does not pass --verify-blobs', async () => {
    const repo = 'ct/child-index';
    const inner = { schemaVersion: 2, mediaType: MT.ociManifest, manifests: [] };
    const child = hostile.manifest(repo, MT.ociManifest, inner);
    const entry = {
      mediaType: MT.ociManifest,
      digest: child,
      size: Buffer.byteLength(JSON.stringify(inner)),
      platform: { os: 'linux', architecture: 'amd64' },
    };
    hostile.manifest(repo, MT.ociIndex, { schemaVersion: 2, mediaType: MT.ociIndex, manifests: [entry] }, [
      'v1',
    ]);
    const report = await verify(`${hostile.host}/${repo}:v1`, { verifyBlobs: true });
    expect(codes(report)).toContain('content-type-mismatch');
  });
});

describe('class 5: build mode checks each tag against the push', () => {
  it('fails when a tag serves another image than the digest buildx reports (real registry)', async () => {
    const pushed = imageManifest('linux/amd64', 'oci');
    const other = imageManifest('linux/amd64', 'oci');
    const tag = `${registry.host}/build/race:v1`;
    // The build pushed `pushed`; a concurrent push then moved the tag to `other`.
    const docker: Docker = {
      buildxVersion: async () => 'github.com/docker/buildx v0.13.1 abc\n',
      inspectBuilder: async () => 'Platforms: linux/amd64\n',
      async build(argv) {
        await push.push('build/race', ['v1'], pushed);
        await push.push('build/race', ['v1'], other);
        const metadata = argv[argv.indexOf('--metadata-file') + 1];
        const { writeFileSync } = await import('node:fs');
        writeFileSync(
          metadata,
          JSON.stringify({
            'containerimage.digest': pushed.descriptor.digest,
            'containerimage.descriptor': pushed.descriptor,
            'image.name': tag,
          }),
        );
        return { exitCode: 0, stderr: '' };
      },
    };
    const build = await runGuardedBuild(
      () => specFromBuildxArgs(['-t', tag, '--push', '--platform', 'linux/amd64', '.'], {}),
      readGuardOptions(() => ''),
      { docker, log: recordingLog(), verifyImages },
    );
    expect(build.verification).toBe('failed');
    const tagReport = build.report!.images.find((image) => image.ref === tag)!;
    expect(codes(tagReport)).toEqual(['digest-mismatch']);
    expect(tagReport.problems[0].message).toContain(
      `serves ${other.descriptor.digest}, not ${pushed.descriptor.digest}, which this build pushed`,
    );
  });
});
