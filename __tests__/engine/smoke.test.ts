// The real engine as scripts/engine.sh starts it: FROM scratch builds pushed to the real registry, on the containerd
// image store and on the classic store. Skipped (and listed once at the end of the run) when it is not running.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRegistry, TestRegistry } from '../support/registry';
import { describeEngine, docker, runCommands, scratchContext, ScratchContext } from '../support/engine';
import { MT } from '../support/oci';
import { attestationChildren, served } from '../e2e/registry-view';

let registry: TestRegistry;
let context: ScratchContext;

beforeAll(async () => {
  registry = await startRegistry();
  context = scratchContext({ 'hello.txt': 'hello from the real engine\n' });
});
afterAll(async () => {
  await registry?.stop();
  context?.remove();
});

describeEngine('real engine, containerd image store', () => {
  it('--provenance=false pushes a Docker v2 manifest, and the metadata file names it', async () => {
    const tag = `${registry.host}/smoke/plain:1`;
    const metadata = join(context.dir, 'plain.json');
    const build = await docker([
      'buildx',
      'build',
      '--provenance=false',
      '--metadata-file',
      metadata,
      '-t',
      tag,
      '--push',
      context.dir,
    ]);
    expect(build.stderr).not.toMatch(/ERROR/);
    expect(build.code).toBe(0);
    const manifest = await served(registry.host, 'smoke/plain', '1');
    expect(manifest.mediaType).toBe(MT.dockerManifest);
    const written = JSON.parse(readFileSync(metadata, 'utf8'));
    expect(written['containerimage.digest']).toBe(manifest.digest);
    expect(written['containerimage.descriptor'].mediaType).toBe(MT.dockerManifest);
  });

  it("buildx's defaults push an OCI index with one attestation child", async () => {
    const result = await runCommands([
      ['docker', 'buildx', 'build', '-t', `${registry.host}/smoke/default:1`, '--push', context.dir],
    ]);
    expect(result.map((r) => r.code)).toEqual([0]);
    const index = await served(registry.host, 'smoke/default', '1');
    expect(index.mediaType).toBe(MT.ociIndex);
    expect(index.body.manifests).toHaveLength(2);
    expect(attestationChildren(index)).toHaveLength(1);
  });
});

describeEngine(
  'real engine, classic image store',
  () => {
    it('pushes a Docker v2 manifest and refuses a multi-platform build', async () => {
      const tag = `${registry.host}/smoke/classic:1`;
      const [single, multi] = await runCommands(
        [
          ['docker', 'buildx', 'build', '-t', tag, '--push', context.dir],
          [
            'docker',
            'buildx',
            'build',
            '--platform',
            'linux/amd64,linux/arm64',
            '-t',
            tag,
            '--push',
            context.dir,
          ],
        ],
        { flavour: 'classic', keepGoing: true },
      );
      expect(single.code).toBe(0);
      expect((await served(registry.host, 'smoke/classic', '1')).mediaType).toBe(MT.dockerManifest);
      expect(multi.code).not.toBe(0);
      expect(multi.stderr).toContain('Multi-platform build is not supported for the docker driver');
    });
  },
  'classic',
);
