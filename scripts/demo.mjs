// `npm run demo`: a single-platform push without and with buildx-guard, against a throwaway local registry,
// and what the registry serves for each. It uses the test tree's real registry starter, the built CLI in dist/,
// and the real engine when scripts/engine.sh can start it without installing anything (else the buildx test
// double, which needs no Docker engine), bundled here with esbuild.
// Exit code 0 only when the registry serves what the README promises: an index with an unknown/unknown
// attestation child without the policy, a plain manifest with it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'buildx-guard-demo-'));
const bin = join(work, 'bin');
const context = join(work, 'app');

/** Bundles a TypeScript file of the test tree into `out`, for plain node. */
async function bundle(entry, out, banner) {
  await build({
    entryPoints: [join(root, entry)],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    ...(banner ? { banner: { js: banner } } : {}),
  });
}

const bold =
  process.stdout.isTTY && !process.env.NO_COLOR ? (text) => `\x1b[1m${text}\x1b[0m` : (text) => text;

function heading(text) {
  process.stdout.write(`\n${bold(`== ${text}`)}\n`);
}

/** Where `docker` comes from, and the variables that point it there. */
let dockerEnv = { PATH: [bin, process.env.PATH].join(delimiter) };

/**
 * Uses the real engine when scripts/engine.sh starts it (or finds it up) without installing anything, and says
 * which `docker` the demo runs either way.
 */
async function chooseDocker() {
  const started = spawnSync('bash', [join(root, 'scripts', 'engine.sh'), 'start', '--no-install'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const { readEngineEnv } = createRequire(import.meta.url)(
    join(root, '__tests__', 'support', 'engine-status.js'),
  );
  const engine = started.status === 0 ? readEngineEnv('main') : null;
  if (engine) {
    dockerEnv = {
      PATH: [engine.BUILDX_GUARD_ENGINE_BIN, process.env.PATH].join(delimiter),
      DOCKER_HOST: engine.DOCKER_HOST,
      DOCKER_CONFIG: engine.DOCKER_CONFIG,
    };
    const version = spawnSync('docker', ['buildx', 'version'], {
      encoding: 'utf8',
      env: { ...process.env, ...dockerEnv },
    }).stdout.trim();
    return `\`docker\` is the real engine (scripts/engine.sh): ${version}, BuildKit behind dockerd.\n`;
  }
  await bundle('__tests__/support/docker-double/main.ts', join(bin, 'docker'), '#!/usr/bin/env node');
  chmodSync(join(bin, 'docker'), 0o755);
  const why = (started.stderr ?? '').trim().split('\n').pop() || 'scripts/engine.sh did not answer';
  return `\`docker\` is the buildx test double: it pushes what buildx ≥0.10 pushes (no real engine: ${why.replace(/^engine\.sh: /, '')}).\n`;
}

/** Runs a command with the chosen docker first on PATH, showing it as a user would type it. */
function run(shown, command, args) {
  process.stdout.write(`$ ${shown}\n`);
  const result = spawnSync(command, args, {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, ...dockerEnv, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

function cli(args) {
  return run(`buildx-guard ${args.join(' ')}`, process.execPath, [join(root, 'dist', 'cli.js'), ...args]);
}

function indent(text) {
  return text.trimEnd().replace(/^/gm, '   ') + '\n';
}

async function main() {
  mkdirSync(bin);
  mkdirSync(context);
  writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
  const which = await chooseDocker();
  await bundle('__tests__/support/registry.ts', join(work, 'registry.cjs'));
  const { startRegistry } = createRequire(import.meta.url)(join(work, 'registry.cjs'));

  const registry = await startRegistry();
  let ok = true;
  try {
    process.stdout.write(
      `A throwaway registry (Debian's docker-registry, CNCF distribution) listens on ${registry.host}.\n` +
        which,
    );

    heading('1. Without buildx-guard: docker buildx build --push (buildx defaults)');
    const without = `${registry.host}/demo/app:without`;
    const plain = run(`docker buildx build -t ${without} --push app`, 'docker', [
      'buildx',
      'build',
      '-t',
      without,
      '--push',
      'app',
    ]);
    if (plain.code !== 0) throw new Error(`the plain build failed:\n${plain.stderr}`);
    process.stdout.write('   pushed.\n\nWhat the registry serves:\n');
    const served = cli(['verify', '--format', 'text', without]);
    process.stdout.write(indent(served.stdout));
    ok &&= served.code === 1 && served.stdout.includes('unknown/unknown');

    heading('2. With buildx-guard: the same build under the default policy (auto)');
    const withPolicy = `${registry.host}/demo/app:with`;
    const guarded = cli(['build', '--', '-t', withPolicy, '--push', 'app']);
    const added = guarded.stderr
      .split('\n')
      .filter((line) => /Attestation policy|Using buildx|Verifying/.test(line));
    process.stdout.write(indent(added.join('\n')));
    if (guarded.code !== 0) throw new Error(`the guarded build failed:\n${guarded.stderr}`);
    process.stdout.write('\nWhat the registry serves:\n');
    const checked = cli(['verify', '--format', 'text', withPolicy]);
    process.stdout.write(indent(checked.stdout));
    ok &&=
      checked.code === 0 && checked.stdout.includes('application/vnd.docker.distribution.manifest.v2+json');

    heading(ok ? 'Result: as expected' : 'Result: NOT as expected');
    process.stdout.write(
      ok
        ? 'Without the policy the single-platform push is an OCI index with an unknown/unknown attestation child;\n' +
            'with it, a plain image manifest that every client and registry understands.\n'
        : 'The registry did not serve what the demo expects: see above.\n',
    );
  } finally {
    await registry.stop();
  }
  return ok ? 0 : 1;
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`demo failed: ${error.message}\n`);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
