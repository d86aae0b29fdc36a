// Installs what the tests, the demo and the benchmarks need on a fresh clone, then builds dist/.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const onPath = (cmd) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;

if (!existsSync('node_modules/.package-lock.json')) run('npm', ['ci', '--no-audit', '--no-fund']);

if (!onPath('docker-registry') || !onPath('openssl')) {
  const root = process.getuid?.() === 0;
  if (!root && !onPath('sudo')) {
    console.error('docker-registry is missing: run `apt-get install -y docker-registry openssl` as root.');
    process.exit(1);
  }
  const apt = (args) => (root ? run('apt-get', args) : run('sudo', ['apt-get', ...args]));
  process.env.DEBIAN_FRONTEND = 'noninteractive';
  apt(['update', '-qq']);
  apt(['install', '-y', '-qq', 'docker-registry', 'openssl']);
}

run('node', ['scripts/build.mjs']);
