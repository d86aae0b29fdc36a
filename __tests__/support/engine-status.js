// Where scripts/engine.sh keeps the real engine and whether it answers. Plain CommonJS: the Jest global setup
// and reporter load it without a transform; __tests__/support/engine.ts wraps it for the tests.
const { execFileSync } = require('node:child_process');
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const FLAVOURS = ['main', 'classic'];
/** Set by the global setup to the engines that answered, so each test file does not probe again. */
const UP_VARIABLE = 'BXG_TEST_ENGINES';
/** The title of an engine suite skipped because its engine is down; the reporter looks for it. */
const skippedTitle = (flavour, name) => `needs the ${flavour} engine, not running: ${name}`;
/** The flavour a skipped suite's title names, or null for any other title. */
function skippedFlavour(title) {
  const match = /^needs the (\w+) engine, not running: /.exec(title);
  return match ? match[1] : null;
}

function engineDir() {
  return process.env.BUILDX_GUARD_ENGINE_DIR || join(ROOT, '.tmp', 'engine');
}

/** The env file `scripts/engine.sh start` writes (KEY=VALUE lines), or null when it is not there. */
function readEngineEnv(flavour) {
  const file = join(engineDir(), flavour, 'env');
  if (!existsSync(file)) return null;
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/** True when the engine's own docker CLI gets an answer from its dockerd within 10 s. */
function probeEngine(flavour) {
  const env = readEngineEnv(flavour);
  if (!env) return false;
  try {
    execFileSync(
      join(env.BUILDX_GUARD_ENGINE_BIN, 'docker'),
      ['version', '--format', '{{.Server.Version}}'],
      {
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DOCKER_HOST: env.DOCKER_HOST,
          DOCKER_CONFIG: env.DOCKER_CONFIG,
        },
        stdio: 'ignore',
        timeout: 10_000,
      },
    );
    return true;
  } catch {
    return false;
  }
}

/** The engines that are up: from the global setup's probe when there was one, else probed now. */
function enginesUp() {
  const known = process.env[UP_VARIABLE];
  if (known !== undefined) return known.split(',').filter(Boolean);
  const up = FLAVOURS.filter(probeEngine);
  process.env[UP_VARIABLE] = up.join(',');
  return up;
}

module.exports = { FLAVOURS, UP_VARIABLE, skippedTitle, skippedFlavour, engineDir, readEngineEnv, enginesUp };
