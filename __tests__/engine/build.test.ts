// Build mode on the real engine: `node dist/index.js` as a runner runs it and `dist/cli.js build`, with real buildx
// and BuildKit behind dockerd (scripts/engine.sh) pushing to the real registry. Every build is FROM scratch.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, TestRegistry } from '../support/registry';
import { startFaultProxy } from '../support/fault-proxy';
import { runAction, runCli, RunResult } from '../support/action-runner';
import { describeEngine, docker, engineEnv, scratchContext, ScratchContext } from '../support/engine';
import { startGitServer } from '../support/git-server';
import { MT } from '../support/oci';
import { attestationChildren, platformsOf, served } from '../e2e/registry-view';
import type { VerifyReport } from '../../src/core/verification/report';

let registry: TestRegistry;
let app: ScratchContext;
let counter = 0;

beforeAll(async () => {
  registry = await startRegistry();
  app = scratchContext({ 'hello.txt': 'hello from the real engine\n' });
});
afterAll(async () => {
  await registry?.stop();
  app?.remove();
});

interface Step extends RunResult {
  repository: string;
  tag: string;
}

/** Runs the action against the engine, in `cwd`, with a fresh repository. */
async function step(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  options: { host?: string; cwd?: string } = {},
): Promise<Step> {
  counter += 1;
  const repository = `engine/app${counter}`;
  const tag = `${options.host ?? registry.host}/${repository}:1`;
  const result = await runAction(
    { context: app.dir, tags: tag, ...inputs },
    { cwd: options.cwd ?? app.dir, env: { ...engineEnv(), ...env } },
  );
  return { ...result, repository, tag };
}

const report = (result: RunResult) => JSON.parse(result.outputs.report) as VerifyReport;
const log = (result: RunResult) => result.stdout + result.stderr;

async function blob(repository: string, digest: string): Promise<Record<string, unknown>> {
  const response = await fetch(`http://${registry.host}/v2/${repository}/blobs/${digest}`);
  return (await response.json()) as Record<string, unknown>;
}

describeEngine('build mode on the real engine', () => {
  it('single-platform push under auto: a Docker v2 manifest; digest, imageid and metadata as buildx wrote them', async () => {
    const result = await step({ push: 'true' });
    expect(result.code).toBe(0);
    const top = await served(registry.host, result.repository, '1');
    expect(top.mediaType).toBe(MT.dockerManifest);
    expect(result.outputs).toMatchObject({
      digest: top.digest,
      'media-type': MT.dockerManifest,
      // For a plain manifest buildx's image ID is the config digest, not the manifest digest.
      imageid: top.body.config!.digest,
    });
    expect(JSON.parse(result.outputs.metadata)).toMatchObject({
      'containerimage.digest': top.digest,
      'containerimage.descriptor': { mediaType: MT.dockerManifest, digest: top.digest },
      'image.name': result.tag,
    });
    expect(report(result).images.map((i) => i.ok)).toEqual([true, true]);
    expect(result.summary).toContain('| Platforms | linux/amd64 (builder default) |');
  });

  it('multi-platform push under auto: an index with exactly those platforms, attestation children allowed', async () => {
    const result = await step({ push: 'true', platforms: 'linux/amd64,linux/arm64' });
    expect(result.code).toBe(0);
    const top = await served(registry.host, result.repository, '1');
    expect(top.mediaType).toBe(MT.ociIndex);
    const images = platformsOf(top).filter((p) => p !== 'unknown/unknown');
    expect(images.sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(attestationChildren(top).length).toBeGreaterThan(0);
    expect(result.outputs.digest).toBe(top.digest);
    expect(report(result).images.every((i) => i.ok)).toBe(true);
  });

  it('strip on multi-platform: a Docker manifest list of exactly those platforms', async () => {
    const result = await step({
      push: 'true',
      platforms: 'linux/amd64,linux/arm64',
      'attestation-policy': 'strip',
    });
    expect(result.code).toBe(0);
    const top = await served(registry.host, result.repository, '1');
    expect(top.mediaType).toBe(MT.dockerList);
    expect(platformsOf(top).sort()).toEqual(['linux/amd64', 'linux/arm64']);
    expect(report(result).images.every((i) => i.ok)).toBe(true);
  });

  it('keep on one platform: buildx defaults push an index with an attestation child', async () => {
    const result = await step({ push: 'true', 'attestation-policy': 'keep' });
    expect(result.code).toBe(0);
    const top = await served(registry.host, result.repository, '1');
    expect(top.mediaType).toBe(MT.ociIndex);
    expect(attestationChildren(top)).toHaveLength(1);
    expect(result.outputs['media-type']).toBe(MT.ociIndex);
  });

  it('load: the image is in the engine, nothing is pushed or verified', async () => {
    const result = await step({ load: 'true' });
    expect(result.code).toBe(0);
    expect(log(result)).toContain('Nothing pushed, nothing to verify');
    expect((await served(registry.host, result.repository, '1')).status).toBe(404);
    const inspect = await docker(['image', 'inspect', '--format', '{{.Id}}', result.tag]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout.trim()).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it.each([
    ['type=registry', (name: string) => `type=registry,name=${name}`],
    ['type=image,push=true', (name: string) => `type=image,name=${name},push=true`],
  ])('outputs: %s pushes and is verified', async (_name, output) => {
    counter += 1;
    const repository = `engine/out${counter}`;
    const name = `${registry.host}/${repository}:1`;
    const result = await runAction(
      { context: app.dir, outputs: output(name) },
      { cwd: app.dir, env: engineEnv() },
    );
    expect(result.code).toBe(0);
    expect((await served(registry.host, repository, '1')).mediaType).toBe(MT.dockerManifest);
    expect(report(result).images.map((i) => [i.ref, i.ok])[0]).toEqual([name, true]);
  });

  describe('the Git context, from a read-only Git server on 127.0.0.1', () => {
    const files = {
      Dockerfile: 'FROM scratch\nCOPY root.txt /\n',
      'root.txt': 'root\n',
      'sub/Dockerfile.app': 'FROM scratch\nCOPY sub.txt /\n',
      'sub/sub.txt': 'sub\n',
    };
    let gitServer: Awaited<ReturnType<typeof startGitServer>>;
    beforeAll(async () => {
      gitServer = await startGitServer(files);
    });
    afterAll(() => gitServer?.stop());

    const runner = () => ({
      GITHUB_SERVER_URL: gitServer.url,
      GITHUB_REPOSITORY: gitServer.repository,
      GITHUB_SHA: gitServer.commit,
    });

    it('default context: the repository at the workflow commit', async () => {
      const result = await step({ push: 'true', context: '' }, runner());
      expect(log(result)).not.toContain('ERROR');
      expect(result.code).toBe(0);
      const top = await served(registry.host, result.repository, '1');
      expect(top.mediaType).toBe(MT.dockerManifest);
    });

    it('{{defaultContext}}:subdir with file inside it', async () => {
      const result = await step(
        { push: 'true', context: '{{defaultContext}}:sub', file: 'Dockerfile.app' },
        runner(),
      );
      expect(log(result)).not.toContain('ERROR');
      expect(result.code).toBe(0);
      const top = await served(registry.host, result.repository, '1');
      // One layer: sub.txt. The root Dockerfile would have copied root.txt.
      expect(top.body.layers).toHaveLength(1);
    });
  });

  describe('inputs reach buildx with their meaning', () => {
    let work: string;
    beforeAll(() => {
      work = mkdtempSync(join(tmpdir(), 'bxg-engine-inputs-'));
    });
    afterAll(() => rmSync(work, { recursive: true, force: true }));

    it('build-args, secrets, secret-files, secret-envs, build-contexts, target, no-cache (local output)', async () => {
      const ctx = scratchContext(
        {},
        [
          'FROM scratch AS tools',
          'COPY busybox /bin/busybox',
          'FROM tools AS work',
          'ARG MY_ARG',
          'ARG MULTILINE',
          'COPY --from=extra extra.txt /extra.txt',
          'RUN --mount=type=secret,id=A --mount=type=secret,id=M --mount=type=secret,id=F --mount=type=secret,id=E ' +
            '["/bin/busybox", "sh", "-c", "mkdir /o && cd /run/secrets && /bin/busybox cp A M F E /extra.txt /o/ && ' +
            'printf %s \\"$MY_ARG\\" > /o/my_arg && printf %s \\"$MULTILINE\\" > /o/multiline"]',
          'FROM scratch AS final',
          'COPY --from=work /o /',
          'FROM scratch AS other',
          'COPY --from=work /o/A /not-the-target',
          '',
        ].join('\n'),
        ['extra'],
      );
      try {
        // RUN needs a shell, and FROM scratch has none: a static one from the host.
        if (!existsSync('/bin/busybox'))
          throw new Error('RUN steps need /bin/busybox: apt-get install -y busybox-static');
        copyFileSync('/bin/busybox', join(ctx.dir, 'busybox'));
        const extra = scratchContext({ 'extra.txt': 'from a named context\n' }, 'FROM scratch\n');
        writeFileSync(join(work, 'file-secret'), 'from a file');
        const out = join(work, 'out');
        const result = await runAction(
          {
            context: ctx.dir,
            'build-args': 'MY_ARG=val1,val2,val3\n"MULTILINE=aaaa\nbbbb\nccc"',
            secrets: 'A=alpha\n"M=line1\nline2"\nnot-a-secret-line',
            'secret-files': `F=${join(work, 'file-secret')}`,
            'secret-envs': 'E=MY_SECRET_ENV',
            'build-contexts': `extra=${extra.dir}`,
            target: 'final',
            'no-cache': 'true',
            network: 'host',
            outputs: `type=local,dest=${out}`,
          },
          { cwd: ctx.dir, env: { ...engineEnv(), MY_SECRET_ENV: 'from the environment' } },
        );
        extra.remove();
        expect(log(result)).not.toMatch(/ERROR/);
        expect(result.code).toBe(0);
        expect(log(result)).toContain('secrets: entry 3 is not id=value, so it is skipped');
        const read = (name: string) => readFileSync(join(out, name), 'utf8');
        expect(read('my_arg')).toBe('val1,val2,val3');
        expect(read('multiline')).toBe('aaaa\nbbbb\nccc');
        expect(read('A')).toBe('alpha');
        expect(read('M')).toBe('line1\nline2');
        expect(read('F')).toBe('from a file');
        expect(read('E')).toBe('from the environment');
        expect(read('extra.txt')).toBe('from a named context\n');
        expect(existsSync(join(out, 'not-the-target'))).toBe(false);
        // No secret value in the log, apart from the runner's mask commands that hide them.
        const shown = log(result).replace(/^::add-mask::.*$/gm, '');
        expect(shown).not.toMatch(/alpha|line2|from a file|from the environment/);
      } finally {
        ctx.remove();
      }
    });

    it('labels, annotations and cache-to: type=inline on a pushed image', async () => {
      const result = await step({
        push: 'true',
        labels: 'org.opencontainers.image.title=app\norg.opencontainers.image.description=a, b',
        annotations: 'manifest:org.opencontainers.image.vendor=octo',
        'cache-to': 'type=inline',
      });
      expect(result.code).toBe(0);
      const top = await served(registry.host, result.repository, '1');
      expect(top.mediaType).toBe(MT.dockerManifest);
      const config = (await blob(result.repository, top.body.config!.digest)) as {
        config: { Labels: Record<string, string> };
      };
      expect(config.config.Labels).toMatchObject({
        'org.opencontainers.image.title': 'app',
        'org.opencontainers.image.description': 'a, b',
      });
      expect(JSON.stringify(config)).toContain('moby.buildkit.cache.v0');
    });
  });

  describe('failures', () => {
    it('index annotations on a stripped single-platform build: one clear error before building', async () => {
      const result = await step({ push: 'true', annotations: 'index:org.opencontainers.image.vendor=octo' });
      expect(result.code).toBe(1);
      expect(log(result)).toContain('Invalid annotations: "index:org.opencontainers.image.vendor=octo"');
      expect(log(result)).not.toContain('index annotations not supported for single platform export\n#');
      expect((await served(registry.host, result.repository, '1')).status).toBe(404);
    });

    it('call: buildx 0.13 has no --call: said before building', async () => {
      const result = await step({ call: 'check' });
      expect(result.code).toBe(1);
      expect(log(result)).toMatch(
        /Invalid call: "check"\. It needs buildx 0\.15\.0 or later; this runner has buildx 0\.13\.1/,
      );
    });

    it("a Dockerfile syntax error fails the step with buildx's own error", async () => {
      const broken = scratchContext({}, 'FROM scratch\nCOPPY . /\n');
      try {
        const result = await step({ push: 'true', context: broken.dir }, {}, { cwd: broken.dir });
        expect(result.code).toBe(1);
        expect(log(result)).toMatch(/docker buildx build failed \(exit code 1\)/);
        expect(log(result)).toMatch(/unknown instruction: COPPY/i);
      } finally {
        broken.remove();
      }
    });

    it('an unknown builder fails the step naming it', async () => {
      const result = await step({ push: 'true', builder: 'no-such-builder' });
      expect(result.code).toBe(1);
      expect(log(result)).toMatch(/docker buildx build failed[\s\S]*no-such-builder/);
    });

    it('verification fails when the registry serves something else for the tag than was pushed', async () => {
      // Another build's index takes the tag between push and check: the proxy answers the tag with it.
      const other = await step({ push: 'true', 'attestation-policy': 'keep' });
      const index = await served(registry.host, other.repository, '1');
      const bytes = await (
        await fetch(`http://${registry.host}/v2/${other.repository}/manifests/${index.digest}`, {
          headers: { accept: MT.ociIndex },
        })
      ).text();
      const proxy = await startFaultProxy(registry.url);
      try {
        proxy.rules = [
          {
            method: 'GET',
            path: /\/manifests\/1$/,
            fault: {
              status: 200,
              headers: { 'content-type': MT.ociIndex, 'docker-content-digest': index.digest },
              body: bytes,
            },
          },
        ];
        const result = await step({ push: 'true' }, {}, { host: proxy.host });
        expect(result.code).toBe(1);
        expect(log(result)).toContain(result.tag);
        expect(log(result)).toContain(MT.ociIndex);
        expect(report(result).images[0]).toMatchObject({ ref: result.tag, ok: false });
      } finally {
        await proxy.stop();
      }
    });
  });

  describe('the CLI', () => {
    it('buildx-guard build -- … pushes a plain manifest and prints the verdict', async () => {
      const tag = `${registry.host}/engine/cli:1`;
      const result = await runCli(['build', '--', '-t', tag, '--push', app.dir], { env: engineEnv() });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`OK +${tag.replace(/[.]/g, '\\.')}`));
      expect((await served(registry.host, 'engine/cli', '1')).mediaType).toBe(MT.dockerManifest);
    });

    it('an unknown buildx flag is exit 2 with buildx\'s "unknown flag"', async () => {
      const tag = `${registry.host}/engine/cli:2`;
      const result = await runCli(['build', '--', '--check', '-t', tag, app.dir], { env: engineEnv() });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/exit code 125[\s\S]*unknown flag: --check/);
    });
  });
});
