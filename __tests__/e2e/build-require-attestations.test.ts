// `buildx-guard build --attestations require`, with the buildx test double pushing to the real registry.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, TestRegistry } from '../support/registry';
import { runCli } from '../support/action-runner';
import { buildInvocations } from '../support/docker-double/invocations';

let registry: TestRegistry;
let work: string;
let counter = 0;
beforeAll(async () => {
  registry = await startRegistry();
  work = mkdtempSync(join(tmpdir(), 'bxg-require-'));
  mkdirSync(join(work, 'app'));
  writeFileSync(join(work, 'app', 'Dockerfile'), 'FROM scratch\n');
});
afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function build(guard: string[], platforms: string, extra: string[] = []) {
  const tag = `${registry.host}/require/app${++counter}:1`;
  const log = join(work, `docker-${counter}.jsonl`);
  const result = await runCli(
    ['build', ...guard, '--', '--platform', platforms, ...extra, '-t', tag, '--push', 'app'],
    {
      cwd: work,
      env: { BXG_DOCKER_LOG: log },
    },
  );
  return { ...result, builds: buildInvocations(log) };
}

describe('build --attestations require', () => {
  it('passes when the policy keeps attestations and each image has one', async () => {
    const result = await build(['--attestation-policy', 'keep', '--attestations', 'require'], 'linux/amd64');
    expect([result.code, result.stderr]).toEqual([0, expect.any(String)]);
    expect(result.builds).toHaveLength(1);
  });

  it('fails when the push carries no attestation', async () => {
    const result = await build(['--attestation-policy', 'keep', '--attestations', 'require'], 'linux/amd64', [
      '--provenance=false',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('expected an index (');
    expect(result.stderr).toContain(', with an attestation child for each image.');
    expect(result.stderr).toContain('Fix: Every image must carry an attestation: keep buildx');
  });

  it('passes for a multi-platform build under auto', async () => {
    const result = await build(['--attestations', 'require'], 'linux/amd64,linux/arm64');
    expect(result.code).toBe(0);
  });

  it('refuses before building when the policy strips what it requires', async () => {
    const result = await build(['--attestations', 'require'], 'linux/amd64');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Invalid attestations: "require". The attestation policy (it strips them from this build)',
    );
    expect(result.builds).toEqual([]);
  });
});
