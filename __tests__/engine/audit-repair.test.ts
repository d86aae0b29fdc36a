// Audit and strip-attestations over what the real engine pushes (buildx's default single-platform index with its
// provenance attestation). Skipped, and listed at the end of the run, when scripts/engine.sh has not started it.
import { startRegistry, TestRegistry } from '../support/registry';
import { describeEngine, docker, scratchContext, ScratchContext } from '../support/engine';
import { MT } from '../support/oci';
import { served } from '../e2e/registry-view';
import { runAudit } from '../../src/modes/audit/audit';
import { readAuditInputs } from '../../src/modes/audit/inputs';
import { runRepair } from '../../src/modes/repair/mode';
import { readRepairInputs } from '../../src/modes/repair/inputs';
import { quietLog } from '../audit/helpers';

let registry: TestRegistry;
let context: ScratchContext;
beforeAll(async () => {
  registry = await startRegistry();
  context = scratchContext({ 'hello.txt': 'audited by buildx-guard\n' });
});
afterAll(async () => {
  await registry?.stop();
  context?.remove();
});

const inputs = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describeEngine('real engine: audit and strip-attestations', () => {
  it('audits the pushed attestation index, strips it to its image with the digest unchanged, and audits clean', async () => {
    const tag = `${registry.host}/engine/app:1`;
    const build = await docker(['buildx', 'build', '-t', tag, '--push', context.dir]);
    expect(build.code).toBe(0);
    const index = await served(registry.host, 'engine/app', '1');
    expect(index.mediaType).toBe(MT.ociIndex);
    const image = index.body.manifests!.find((m) => m.platform?.os !== 'unknown')!;

    const before = await runAudit(
      readAuditInputs(inputs({ repositories: `${registry.host}/engine/app` })),
      quietLog(),
    );
    const [tagReport] = before.report.repositories[0].tags;
    expect([tagReport.shape, tagReport.attestations, tagReport.ok]).toEqual(['attestation-index', 1, false]);
    expect(tagReport.attestationBytes).toBeGreaterThan(0);

    const report = await runRepair(
      readRepairInputs(
        inputs({ repair: 'strip-attestations', images: tag, apply: 'true', 'delete-orphans': 'true' }),
      ),
      quietLog(),
    );
    expect(report.results[0].outcome).toBe('repaired');
    const after = await served(registry.host, 'engine/app', '1');
    expect([after.digest, after.mediaType]).toEqual([image.digest, image.mediaType]);

    const clean = await runAudit(
      readAuditInputs(inputs({ repositories: `${registry.host}/engine/app`, expect: 'manifest' })),
      quietLog(),
    );
    expect(clean.report.repositories[0].totals).toMatchObject({
      failing: 0,
      attestationManifests: 0,
      shapes: { manifest: 1 },
    });
    expect(clean.keepSet).toContain(image.digest);
  });
});
