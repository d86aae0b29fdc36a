// Issue 10, item 5: what the build step costs over a bare build on the real engine (scripts/engine.sh: dockerd,
// buildx, BuildKit). The same plain single-platform push, FROM scratch, to the same real registry, alternating:
// bare `docker buildx build --push`, our action (verification included), and, when BENCH_ANCHOR_BPA points at its
// published bundle, docker/build-push-action. Each one's overhead is its median minus the bare build's median.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchRegistry } from './lib/registry-process';
import { ACTION_YML, DIST_ACTION, ROOT, STUBS } from './lib/paths';
import { lastLine, run, RunResult } from './lib/proc';
import {
  actionDefaults,
  inputEnv,
  installDocker,
  readCommandFile,
  runnerEnv,
  runnerFiles,
} from './lib/runner';
import { NotMeasured, progress, quick, runBench } from './lib/section';
import { ms, msSpread, summarize } from './lib/stats';

const ROUNDS = quick ? 2 : 9;
/** Our overhead over the bare build, verification included (issue 10). */
const TARGET_OVERHEAD_MS = 150;

const status = require('../__tests__/support/engine-status.js') as {
  readEngineEnv(flavour: string): Record<string, string> | null;
};

interface Variant {
  name: string;
  /** The command and arguments of one run, for this tag. */
  argv(tag: string): [string, string[]];
  inputs?(tag: string): Record<string, string>;
}

interface Measured {
  wallMs: number;
  dockerCalls: string[];
  dockerMs: number;
}

/** Starts the engine if it is installed (never installs from a bench); undefined when there is none. */
function engine(): Record<string, string> | undefined {
  spawnSync('bash', [join(ROOT, 'scripts', 'engine.sh'), 'start', '--no-install'], {
    stdio: 'ignore',
    timeout: 60_000,
  });
  return status.readEngineEnv('main') ?? undefined;
}

function dockerCalls(path: string): { calls: string[]; ms: number } {
  const lines = readFileSync(path, 'utf8').split('\n').filter(Boolean);
  let total = 0;
  const calls = lines.map((line) => {
    const [start, end, code, ...argv] = line.split(' ');
    total += (Number(end) - Number(start)) / 1e6;
    const command = ['docker', ...argv.slice(0, argv[0] === 'buildx' ? 2 : 1)].join(' ');
    return code === '0' ? command : `${command} (exit ${code})`;
  });
  return { calls, ms: total };
}

const failure = (name: string, result: RunResult) =>
  `${name} exited ${result.code}: ${lastLine(
    result.stdout
      .split('\n')
      .filter((l) => l.startsWith('::error'))
      .join('\n') || result.stdout + result.stderr,
  )}`;

runBench('engine', async (section) => {
  const env = engine();
  if (!env)
    throw new NotMeasured(
      'the real engine is not running and cannot start: scripts/engine.sh start (as root)',
    );
  const anchor = process.env.BENCH_ANCHOR_BPA;
  if (anchor && !existsSync(anchor)) throw new NotMeasured(`BENCH_ANCHOR_BPA=${anchor} does not exist`);

  const work = mkdtempSync(join(tmpdir(), 'bxg-bench-engine-'));
  const registry = await startBenchRegistry();
  try {
    const context = join(work, 'context');
    mkdirSync(context);
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY bench.txt /\n');
    writeFileSync(join(context, 'bench.txt'), 'bench\n');
    // Every variant's docker goes through the same timing wrapper to the engine's own CLI.
    const binDir = join(work, 'bin');
    installDocker(join(STUBS, 'docker-timing.sh'), binDir);
    const calls = join(work, 'docker-calls');
    const dockerEnv = {
      DOCKER_HOST: env.DOCKER_HOST,
      DOCKER_CONFIG: env.DOCKER_CONFIG,
      BENCH_DOCKER_DOUBLE: join(env.BUILDX_GUARD_ENGINE_BIN, 'docker'),
      BENCH_DOCKER_CALLS: calls,
    };
    const path = `${binDir}:${process.env.PATH}`;
    const push = (tag: string) => ({ context, push: 'true', tags: tag });

    const variants: Variant[] = [
      {
        name: 'bare `docker buildx build --provenance=false --sbom=false --push`',
        argv: (tag) => [
          join(binDir, 'docker'),
          ['buildx', 'build', '--provenance=false', '--sbom=false', '--push', '-t', tag, context],
        ],
      },
      {
        name: 'buildx-guard (build mode, verifies)',
        argv: () => [process.execPath, [DIST_ACTION]],
        inputs: (tag) => ({ ...actionDefaults(ACTION_YML), ...push(tag) }),
      },
    ];
    if (anchor) {
      variants.push({
        name: 'build-push-action, `provenance: false` (main step)',
        argv: () => [process.execPath, [anchor]],
        inputs: (tag) => ({
          ...push(tag),
          provenance: 'false',
          load: 'false',
          'no-cache': 'false',
          pull: 'false',
        }),
      });
    }

    const runOnce = async (variant: Variant, round: number): Promise<Measured> => {
      const index = variants.indexOf(variant);
      const tag = `${registry.host}/bench/engine:v${index}`;
      const files = runnerFiles(join(work, `runner-${round}-${index}`));
      const anchorEnv = variant.name.startsWith('build-push-action')
        ? { DOCKER_BUILD_SUMMARY: 'false', DOCKER_BUILD_RECORD_UPLOAD: 'false' }
        : {};
      writeFileSync(calls, '');
      const [command, args] = variant.argv(tag);
      const result = await run(command, args, {
        env: {
          ...runnerEnv(files, path),
          ...dockerEnv,
          ...anchorEnv,
          ...inputEnv(variant.inputs?.(tag) ?? {}),
        },
        cwd: work,
      });
      if (result.code !== 0) throw new Error(failure(variant.name, result));
      if (variant.inputs && variant.name.startsWith('buildx-guard')) {
        const outputs = readCommandFile(files.output);
        if (!outputs.report?.includes('"ok":true')) throw new Error(`${variant.name}: not verified`);
      }
      const docker = dockerCalls(calls);
      return { wallMs: result.wallMs, dockerCalls: docker.calls, dockerMs: docker.ms };
    };

    progress(`${ROUNDS} rounds (+1 warm-up) of ${variants.map((v) => v.name).join(' / ')}`);
    const runs = new Map<Variant, Measured[]>(variants.map((v) => [v, []]));
    for (let round = 0; round <= ROUNDS; round++) {
      for (const variant of variants) {
        const measured = await runOnce(variant, round);
        if (round > 0) runs.get(variant)!.push(measured);
      }
    }

    const bare = summarize(runs.get(variants[0])!.map((r) => r.wallMs));
    section.tables.push({
      caption: `Spawn to exit; median (p25–p75) of ${ROUNDS} alternating rounds after a warm-up round, same engine (${lastLine(
        spawnSync(join(env.BUILDX_GUARD_ENGINE_BIN, 'docker'), ['buildx', 'version'], {
          env: { ...process.env, ...dockerEnv },
          encoding: 'utf8',
        }).stdout,
      )}) and registry. BuildKit's cache is warm after the warm-up round, so the build itself is short and the overhead stands out. The action variants run as a runner runs them (INPUT_*, GITHUB_*).`,
      columns: ['step', 'wall time', 'overhead over bare', 'docker calls', 'time in docker'],
      rows: variants.map((variant) => {
        const list = runs.get(variant)!;
        const wall = summarize(list.map((r) => r.wallMs));
        return [
          variant.name,
          msSpread(wall),
          variant === variants[0] ? '—' : ms(wall.median - bare.median),
          list[list.length - 1].dockerCalls.join('; '),
          ms(summarize(list.map((r) => r.dockerMs)).median),
        ];
      }),
    });
    const ours = summarize(runs.get(variants[1])!.map((r) => r.wallMs)).median - bare.median;
    section.targets.push({
      name: `our overhead over a bare build on the real engine, verification included, ≤ ${TARGET_OVERHEAD_MS} ms`,
      measured: ms(ours),
      met: ours <= TARGET_OVERHEAD_MS,
    });
    if (anchor) {
      const theirs = summarize(runs.get(variants[2])!.map((r) => r.wallMs)).median - bare.median;
      section.notes.push(
        `build-push-action's overhead: ${ms(theirs)} (main step only; it runs with DOCKER_BUILD_SUMMARY=false and DOCKER_BUILD_RECORD_UPLOAD=false, in its favour).`,
      );
    } else {
      section.notes.push('build-push-action not measured: BENCH_ANCHOR_BPA is not set.');
    }
  } finally {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
