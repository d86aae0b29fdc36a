// Runs once before the tests: checks the real registry is installed, builds the docker test double
// (TypeScript under __tests__/support/docker-double) into an executable at .tmp/bin/docker, and probes the real
// engine once (scripts/engine.sh) so test files know whether to skip their engine suites.
const { execFileSync } = require('node:child_process');
const { existsSync, mkdirSync, chmodSync } = require('node:fs');
const { join } = require('node:path');
const { enginesUp } = require('./engine-status');

module.exports = async function globalSetup() {
  try {
    execFileSync('docker-registry', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'docker-registry is not installed: run `npm test` (it installs it) or apt-get install -y docker-registry',
    );
  }
  enginesUp();
  const root = join(__dirname, '..', '..');
  const source = join(__dirname, 'docker-double', 'main.ts');
  if (!existsSync(source)) return;
  const binDir = join(root, '.tmp', 'bin');
  mkdirSync(binDir, { recursive: true });
  const { buildSync } = require('esbuild');
  buildSync({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    target: 'node20',
    outfile: join(binDir, 'docker'),
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  chmodSync(join(binDir, 'docker'), 0o755);
};
