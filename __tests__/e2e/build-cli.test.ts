// `buildx-guard build [guard options] -- <buildx build args>`: the same policy over raw buildx arguments.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, TestRegistry } from '../support/registry';
import { runCli } from '../support/action-runner';
import { buildInvocations, readInvocations } from '../support/docker-double/invocations';
import { MT } from '../support/oci';
import { served } from './registry-view';

let registry: TestRegistry;
let work: string;
let counter = 0;

beforeAll(async () => {
  registry = await startRegistry();
  work = mkdtempSync(join(tmpdir(), 'bxg-cli-'));
  mkdirSync(join(work, 'app'));
  writeFileSync(join(work, 'app', 'Dockerfile'), 'FROM scratch\n');
});
afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function build(guard: string[], buildx: (tag: string) => string[], env: Record<string, string> = {}) {
  counter += 1;
  const repository = `cli/app${counter}`;
  const tag = `${registry.host}/${repository}:1`;
  const log = join(work, `docker-${counter}.jsonl`);
  const result = await runCli(['build', ...guard, '--', ...buildx(tag)], {
    cwd: work,
    env: { BXG_DOCKER_LOG: log, ...env },
  });
  return { ...result, repository, tag, invocations: readInvocations(log), builds: buildInvocations(log) };
}

describe('buildx-guard build', () => {
  it('applies the policy to raw buildx arguments, pushes a plain manifest and prints the verdict on stdout', async () => {
    const result = await build([], (tag) => ['-t', tag, '--push', 'app']);
    expect(result.code).toBe(0);
    const [invocation] = result.builds;
    expect(invocation.argv.slice(0, 4)).toEqual(['buildx', 'build', '--provenance=false', '--sbom=false']);
    expect(invocation.argv.slice(-4)).toEqual(['-t', result.tag, '--push', 'app']);
    expect(invocation.noDefaultAttestations).toBe('1');
    expect((await served(registry.host, result.repository, '1')).mediaType).toBe(MT.dockerManifest);
    expect(result.stdout).toContain(result.tag);
    expect(result.stdout).not.toContain('#0 building');
    expect(result.stderr).toContain('#0 building with "builder" instance');
  });

  it('exit 1 with the fix on stderr when the registry serves an unexpected index', async () => {
    const result = await build(['--attestation-policy', 'keep', '--expect', 'manifest'], (tag) => [
      '--tag',
      tag,
      '--push',
      'app',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${result.tag}: the registry serves an index of 2 (${MT.ociIndex})`);
    expect(result.stderr).toContain('Fix: Set --attestation-policy auto (or strip)');
    expect(result.stdout).toContain('unknown/unknown');
  });

  it('exit 2 and no build for a conflicting flag', async () => {
    const result = await build([], (tag) => ['--sbom=true', '-t', tag, '--push', 'app']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Invalid --sbom: "true". It asks for a sbom attestation, but --attestation-policy "auto"',
    );
    expect(result.builds).toEqual([]);
  });

  it("keeps the user's own attestation flag instead of adding a duplicate", async () => {
    const result = await build([], (tag) => [
      '--attest',
      'type=provenance,disabled=true',
      '-t',
      tag,
      '--push',
      'app',
    ]);
    expect(result.code).toBe(0);
    expect(result.builds[0].argv.filter((a) => a.startsWith('--provenance'))).toEqual([]);
  });

  it('--load: nothing pushed, nothing to verify, exit 0', async () => {
    const result = await build([], () => ['--load', 'app']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Nothing pushed, nothing to verify');
    expect(result.stdout).toBe('');
  });

  it("a failed build: exit 2 with buildx's error", async () => {
    const result = await build([], (tag) => ['-t', tag, '--push', 'app'], {
      BXG_BUILD_FAIL: 'failed to compute cache key',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'docker buildx build failed (exit code 1):\nERROR: failed to compute cache key',
    );
  });

  it('an unknown guard option: exit 2 before docker runs', async () => {
    const result = await build(['--strip'], () => ['app']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Invalid build option: "--strip". Unknown option');
    expect(result.invocations).toEqual([]);
  });

  it('--help prints the usage and exits 0', async () => {
    const result = await runCli(['build', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: buildx-guard build [options] -- <docker buildx build arguments>');
  });
});
