// `npm run demo` is how the README shows the problem and the fix: it must keep working and keep telling the truth.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/action-runner';

it('npm run demo shows an attestation index without the policy and a plain manifest with it', () => {
  const result = spawnSync(process.execPath, [join(ROOT, 'scripts', 'demo.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 50_000,
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const [without, withPolicy] = result.stdout.split('== 2.');
  expect(without).toMatch(/FAIL .*demo\/app:without/);
  expect(without).toContain('application/vnd.oci.image.index.v1+json');
  expect(without).toMatch(/unknown\/unknown +attestation/);
  expect(withPolicy).toContain(
    'Attestation policy auto: provenance and SBOM attestations stripped from single-platform builds.',
  );
  expect(withPolicy).toMatch(/OK +.*demo\/app:with/);
  expect(withPolicy).toContain('application/vnd.docker.distribution.manifest.v2+json');
  expect(result.stdout).toContain('== Result: as expected');
});
