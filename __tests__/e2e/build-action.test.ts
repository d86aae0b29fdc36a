// Build mode end to end: `node dist/index.js` run as a runner runs it, with the buildx test double on PATH
// pushing to the real registry, and the step's verdict checked against what the registry really serves.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, TestRegistry } from '../support/registry';
import { startFaultProxy } from '../support/fault-proxy';
import { runAction, RunResult } from '../support/action-runner';
import { buildInvocations, Invocation, readInvocations } from '../support/docker-double/invocations';
import { MT } from '../support/oci';
import { attestationChildren, platformsOf, served } from './registry-view';
import { VerifyReport } from '../../src/core/verification/report';

let registry: TestRegistry;
let work: string;
let counter = 0;

beforeAll(async () => {
  registry = await startRegistry();
  work = mkdtempSync(join(tmpdir(), 'bxg-e2e-'));
  mkdirSync(join(work, 'app'));
  writeFileSync(join(work, 'app', 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
});
afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

interface Step extends RunResult {
  invocations: Invocation[];
  builds: Invocation[];
  repository: string;
  tag: string;
}

/** Runs the action in the workspace with a fresh repository and docker log. */
async function step(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  host = registry.host,
): Promise<Step> {
  counter += 1;
  const repository = `e2e/app${counter}`;
  const log = join(work, `docker-${counter}.jsonl`);
  const tag = `${host}/${repository}:1`;
  const result = await runAction(
    { context: 'app', tags: tag, ...inputs },
    { cwd: work, env: { BXG_DOCKER_LOG: log, ...env } },
  );
  return { ...result, invocations: readInvocations(log), builds: buildInvocations(log), repository, tag };
}

const report = (result: RunResult) => JSON.parse(result.outputs.report) as VerifyReport;
const has = (argv: string[], ...flags: string[]) => flags.every((flag) => argv.includes(flag));

describe('build mode as a runner runs it', () => {
  it('single-platform push under the default policy: a plain manifest, outputs set, summary written', async () => {
    const result = await step({ push: 'true' });
    expect(result.code).toBe(0);
    const [build] = result.builds;
    expect(
      has(build.argv, '--provenance=false', '--sbom=false', '--push', '--metadata-file', '--iidfile'),
    ).toBe(true);
    expect(build.argv.at(-1)).toBe('app');
    expect(build.noDefaultAttestations).toBe('1');
    // Stripped: the builder cannot change the argv, so no `docker buildx inspect`.
    expect(result.invocations.map((i) => i.argv.slice(0, 2))).toEqual([
      ['buildx', 'version'],
      ['buildx', 'build'],
    ]);

    const top = await served(registry.host, result.repository, '1');
    expect(top.mediaType).toBe(MT.dockerManifest);
    expect(result.outputs).toMatchObject({
      digest: top.digest,
      'media-type': MT.dockerManifest,
      imageid: top.body.config!.digest,
    });
    expect(JSON.parse(result.outputs.metadata)).toMatchObject({
      'containerimage.digest': top.digest,
      'image.name': result.tag,
    });
    expect(report(result).images.map((i) => [i.ref, i.ok])).toEqual([
      [result.tag, true],
      [`${registry.host}/${result.repository}@${top.digest}`, true],
    ]);
    expect(result.summary).toContain(`| Tags | ${result.tag} |`);
    expect(result.summary).toContain(`| Digest | ${top.digest} |`);
    expect(result.summary).toContain(`| Media type | ${MT.dockerManifest} |`);
    expect(result.summary).toContain(
      '| Attestation policy | auto: provenance and SBOM attestations stripped from single-platform builds |',
    );
    expect(result.summary).toContain('| Platforms | linux/amd64 (builder default) |');
    expect(result.summary).toContain('| Verification | passed |');
  });

  it('multi-platform push under auto: an index with exactly those platforms, attestations allowed', async () => {
    const event = join(work, 'event.json');
    writeFileSync(event, JSON.stringify({ repository: { private: false } }));
    const result = await step(
      { push: 'true', platforms: 'linux/amd64,linux/arm64' },
      { GITHUB_EVENT_PATH: event, GITHUB_REPOSITORY: 'octo/app', GITHUB_RUN_ID: '7' },
    );
    expect(result.code).toBe(0);
    const [build] = result.builds;
    // build-push-action's default provenance for a public repository on BuildKit ≥ 0.11 (the double's builder),
    // which only `docker buildx inspect` can tell.
    expect(
      build.argv.filter((_arg, i) => /^--(provenance|sbom|attest)/.test(build.argv[i - 1] ?? '')),
    ).toEqual(['type=provenance,mode=max,builder-id=https://github.com/octo/app/actions/runs/7/attempts/1']);
    expect(build.noDefaultAttestations).toBeNull();
    expect(result.invocations.filter((i) => i.argv[1] === 'inspect')).toHaveLength(1);
    const top = await served(registry.host, result.repository, '1');
    expect(top.mediaType).toBe(MT.ociIndex);
    expect(platformsOf(top)).toEqual(['linux/amd64', 'linux/arm64', 'unknown/unknown', 'unknown/unknown']);
    expect(result.outputs['media-type']).toBe(MT.ociIndex);
    expect(report(result).images.every((i) => i.ok)).toBe(true);
  });

  it('strip: a multi-platform push without attestation children', async () => {
    const result = await step({
      push: 'true',
      platforms: 'linux/amd64\nlinux/arm64',
      'attestation-policy': 'strip',
    });
    expect(result.code).toBe(0);
    expect(has(result.builds[0].argv, '--provenance=false', '--sbom=false')).toBe(true);
    const top = await served(registry.host, result.repository, '1');
    expect(top.mediaType).toBe(MT.dockerList);
    expect(attestationChildren(top)).toEqual([]);
    expect(platformsOf(top)).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('keep: buildx defaults make a single-platform push an index with an attestation child, and that passes', async () => {
    const result = await step({ push: 'true', 'attestation-policy': 'keep' });
    expect(result.code).toBe(0);
    expect(result.builds[0].argv.filter((a) => /^--(provenance|sbom)/.test(a))).toEqual([]);
    const top = await served(registry.host, result.repository, '1');
    expect(top.mediaType).toBe(MT.ociIndex);
    expect(attestationChildren(top)).toHaveLength(1);
    expect(result.outputs['media-type']).toBe(MT.ociIndex);
  });

  it('keep with expect: manifest fails the step, naming the tag, the media types and the attestation child', async () => {
    const result = await step({ push: 'true', 'attestation-policy': 'keep', expect: 'manifest' });
    expect(result.code).toBe(1);
    const top = await served(registry.host, result.repository, '1');
    const [attestation] = attestationChildren(top);
    expect(result.stdout).toContain(
      `::error::The registry does not serve what this build should have pushed.`,
    );
    expect(result.stdout).toContain(
      `${result.tag}: the registry serves an index of 2 (${MT.ociIndex}); expected an image manifest`,
    );
    expect(result.stdout).toContain(
      `unexpected attestation child ${attestation.digest} (platform unknown/unknown, vnd.docker.reference.type=attestation-manifest)`,
    );
    expect(result.stdout).toContain('Fix: Set attestation-policy: auto (or strip)');
    expect(result.stdout).toContain(
      `::warning::buildx reports it pushed ${MT.ociIndex}; expected an image manifest`,
    );
    // Outputs are set even when the step fails, so later steps (if: always()) can read the report.
    expect(result.outputs.digest).toBe(top.digest);
    expect(report(result).images[0]).toMatchObject({ ref: result.tag, ok: false, mediaType: MT.ociIndex });
    expect(result.summary).toContain('| Verification | FAILED |');
  });

  it('a conflict fails before building: provenance: true under auto on a single platform', async () => {
    const result = await step({ push: 'true', provenance: 'true' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::Invalid provenance: "true". It asks for a provenance attestation, but attestation-policy "auto" strips attestations from single-platform builds',
    );
    expect(result.builds).toEqual([]);
  });

  it('buildx 0.9: no attestation flags, a plain manifest, verified', async () => {
    const result = await step({ push: 'true', sbom: 'false' }, { BXG_BUILDX_VERSION: '0.9.1' });
    expect(result.code).toBe(0);
    expect(result.builds[0].argv.filter((a) => /^--(provenance|sbom|attest)/.test(a))).toEqual([]);
    expect(result.stdout).toContain(
      'buildx v0.9.1 is older than 0.10.0: the input provenance, sbom and attests is ignored.',
    );
    expect((await served(registry.host, result.repository, '1')).mediaType).toBe(MT.dockerManifest);
    expect(result.summary).toContain('predates attestations');
  });

  it('load only: nothing pushed, nothing to verify, and that is a success', async () => {
    const result = await step({ load: 'true' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Nothing pushed, nothing to verify');
    expect(result.outputs.imageid).toMatch(/^sha256:/);
    expect(result.outputs.report).toBeUndefined();
    expect((await served(registry.host, result.repository, '1')).status).toBe(404);
    expect(result.summary).toContain('| Verification | nothing pushed, nothing to verify |');
  });

  it('verify: false pushes without checking', async () => {
    const result = await step({
      push: 'true',
      verify: 'false',
      'attestation-policy': 'keep',
      expect: 'manifest',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Verification skipped (verify: false).');
    expect(result.outputs['media-type']).toBe(MT.ociIndex);
  });

  it('an invalid attestation-policy: a clear error, and docker never runs', async () => {
    const result = await step({ push: 'true', 'attestation-policy': 'sometimes' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::Invalid attestation-policy: "sometimes". Use one of: auto, strip, keep.',
    );
    expect(result.invocations).toEqual([]);
  });

  it('a missing context: a clear error, and docker never runs', async () => {
    const result = await step({ push: 'true', context: 'nope' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('::error::Invalid context: "nope". The directory does not exist');
    expect(result.invocations).toEqual([]);
  });

  it("a failed build fails the step with buildx's own error", async () => {
    const result = await step(
      { push: 'true' },
      { BXG_BUILD_FAIL: 'process "/bin/sh -c make" did not complete successfully: exit code: 2' },
    );
    expect(result.code).toBe(1);
    // @actions/exec streams buildx's stderr into the step log (stdout), where the runner shows it.
    expect(result.stdout).toContain(
      '#2 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
    );
    expect(result.stdout).toContain(
      '::error::docker buildx build failed (exit code 1):%0AERROR: process "/bin/sh -c make" did not complete',
    );
  });

  it('no docker on PATH: one clear error', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'bxg-nopath-'));
    const result = await step({ push: 'true' }, { PATH: empty });
    rmSync(empty, { recursive: true });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      '::error::docker was not found on PATH, so docker buildx version cannot run.',
    );
  });

  it('a dangling index fails the step: every child missing behind the registry', async () => {
    const proxy = await startFaultProxy(registry.url);
    try {
      const missing = {
        status: 404,
        headers: { 'content-type': 'application/json' },
        body: '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}',
      };
      // Children are looked up by digest with HEAD; the push itself only PUTs manifests.
      proxy.rules = [{ method: 'HEAD', path: /\/manifests\/sha256:/, fault: missing }];
      const result = await step({ push: 'true', platforms: 'linux/amd64,linux/arm64' }, {}, proxy.host);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/ {2}missing child sha256:[0-9a-f]{64} \(platform linux\/arm64\)/);
      expect(result.stdout).toContain('Fix: The index is dangling');
      expect(report(result).images[0].problems.map((p) => p.code)).toContain('missing-child');
    } finally {
      await proxy.stop();
    }
  });

  it('never prints a secret or the github-token', async () => {
    const result = await step({
      push: 'true',
      secrets: 'NPM_TOKEN=npm_s3cr3tValue\nOTHER=hunter2-secret',
      'github-token': 'ghs_neverPrintThis',
      'build-args': 'X=1',
    });
    expect(result.code).toBe(0);
    // ::add-mask:: is the runner's instruction to mask a value; the runner never shows that line.
    const log = result.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    const all = [
      ...log,
      result.stderr,
      result.summary,
      JSON.stringify(result.outputs),
      JSON.stringify(result.invocations),
    ].join('\n');
    for (const secret of ['npm_s3cr3tValue', 'hunter2-secret', 'ghs_neverPrintThis'])
      expect(all).not.toContain(secret);
    expect(result.stdout).toContain('::add-mask::npm_s3cr3tValue');
    expect(result.builds[0].argv.filter((a) => a.startsWith('id=NPM_TOKEN,src='))).toHaveLength(1);
  });
});
