// Issue 6, item 1: what loading the action costs before it does anything, against bare `node -e 0`.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ACTION_METAFILE,
  ACTION_YML,
  DIST_ACTION,
  DIST_CLI,
  OUT,
  PROFILE_ACTION,
  ROOT,
  STUBS,
  USAGE_REPORTER,
} from './lib/paths';
import { lastLine, MeasuredRun, run, runNodeMeasured } from './lib/proc';
import { profileForced, profileRun } from './lib/profiling';
import { actionDefaults, inputEnv, installDocker, runnerEnv, runnerFiles } from './lib/runner';
import { packageOf } from './lib/profile';
import { NotMeasured, progress, quick, runBench, Table } from './lib/section';
import { mib, ms, msSpread, summarize } from './lib/stats';

const ROUNDS = quick ? 8 : 25;
const WARMUP_ROUNDS = 2;
const LOAD_BUDGET_MS = 60;
const SIZE_BUDGET_BYTES = 1024 * 1024;

/** The shipped action, then the what-ifs bench/run.mjs built from bench/what-if/ (measured, never shipped). */
const ACTIONS = [
  { label: '`node dist/index.js`', bundle: DIST_ACTION },
  {
    label: 'what-if: undici and @actions/http-client loaded on first use',
    bundle: join(OUT, 'what-if', 'deferred-http.js'),
  },
  {
    label: 'what-if: that, and each mode loaded only when it runs',
    bundle: join(OUT, 'what-if', 'deferred-http-lazy-modes.js'),
  },
];

/** Bytes of dist/index.js by package (or source directory), from esbuild's metafile of the same build. */
function composition(metafilePath: string): Table {
  const metafile = JSON.parse(readFileSync(metafilePath, 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const [output] = Object.values(metafile.outputs);
  const bytes = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
    const owner = path.startsWith('src/') ? path.split('/').slice(0, 3).join('/') : packageOf(path);
    bytes.set(owner, (bytes.get(owner) ?? 0) + input.bytesInOutput);
  }
  const total = [...bytes.values()].reduce((sum, n) => sum + n, 0);
  return {
    caption: `What \`dist/index.js\` is made of (esbuild metafile of the same minified build), by package or source directory.`,
    columns: ['package or directory', 'bytes', '%'],
    rows: [...bytes]
      .sort(([, a], [, b]) => b - a)
      .map(([owner, n]) => [owner, n, ((100 * n) / total).toFixed(1)]),
  };
}

interface Series {
  toDocker: number[];
  toInvalidExit: MeasuredRun[];
  /** What the action said when it never ran docker, or failed the invalid input the wrong way. */
  problems: Set<string>;
}

runBench('startup', async (section) => {
  if (!existsSync(DIST_ACTION))
    throw new NotMeasured('dist/index.js does not exist (run `node scripts/build.mjs`)');
  const actions = ACTIONS.filter((action) => existsSync(action.bundle));
  const work = mkdtempSync(join(tmpdir(), 'bxg-bench-startup-'));
  try {
    const context = join(work, 'context');
    mkdirSync(context);
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY Dockerfile /\n');
    const binDir = join(work, 'bin');
    installDocker(join(STUBS, 'docker-first-call.sh'), binDir);
    const calls = join(work, 'docker-calls');
    const files = runnerFiles(join(work, 'runner'));
    const valid = {
      ...runnerEnv(files, `${binDir}:${process.env.PATH}`),
      BENCH_DOCKER_CALLS: calls,
      ...inputEnv({ ...actionDefaults(ACTION_YML), context, tags: '127.0.0.1:5000/bench/startup:v1' }),
    };
    const invalid = { ...valid, ...inputEnv({ 'attestation-policy': 'bogus' }) };
    const node = (args: string[], env: NodeJS.ProcessEnv) => run(process.execPath, args, { env, cwd: work });
    // Runs that end on their own also report their CPU time, which waiting for a busy CPU does not inflate.
    const measured = ([script, ...args]: string[], env: NodeJS.ProcessEnv) =>
      runNodeMeasured(script, args, { env, cwd: work, usageReporter: USAGE_REPORTER, gnuTime: false });

    const bare: MeasuredRun[] = [];
    const cliVersion: MeasuredRun[] = [];
    const series = new Map<string, Series>(
      actions.map((a) => [a.bundle, { toDocker: [], toInvalidExit: [], problems: new Set() }]),
    );
    progress(
      `${ROUNDS} rounds (+${WARMUP_ROUNDS} warm-up) of: node -e 0; ${actions.length} bundle(s) to their first docker call and on an invalid input; the CLI --version`,
    );
    // Interleaved rounds, so drift on a noisy machine hits every series alike.
    for (let round = 0; round < ROUNDS + WARMUP_ROUNDS; round++) {
      const counted = round >= WARMUP_ROUNDS;
      const idle = await measured(['-e', '0'], valid);
      if (counted) bare.push(idle);
      for (const action of actions) {
        const s = series.get(action.bundle)!;
        writeFileSync(calls, '');
        const started = await node([action.bundle], valid);
        const firstCall = readFileSync(calls, 'utf8').split('\n')[0];
        if (!firstCall) s.problems.add(`never ran docker: ${lastLine(started.stdout + started.stderr)}`);
        else if (counted) s.toDocker.push(Number(firstCall.trim()) / 1e6 - started.startedAt);

        const failed = await measured([action.bundle], invalid);
        if (failed.code === 0 || !/attestation-policy/.test(failed.stdout)) {
          s.problems.add(
            `did not fail naming attestation-policy (exit ${failed.code}): ${lastLine(failed.stdout)}`,
          );
        } else if (counted) s.toInvalidExit.push(failed);
      }
      const cli = await measured([DIST_CLI, '--version'], valid);
      if (counted) cliVersion.push(cli);
    }

    const wall = (runs: MeasuredRun[]) => runs.map((r) => r.wallMs);
    const cpu = (runs: MeasuredRun[]) => runs.map((r) => r.cpuMs);
    const bareWall = summarize(wall(bare)).median;
    const bareCpu = summarize(cpu(bare)).median;
    const added = (values: number[], base: number) =>
      values.length ? `+${ms(summarize(values).median - base)}` : 'not measured';
    const row = (what: string, wallMs: number[], cpuMs?: number[]) => [
      what,
      wallMs.length ? msSpread(summarize(wallMs)) : 'not measured',
      added(wallMs, bareWall),
      cpuMs?.length ? ms(summarize(cpuMs).median) : '—',
      cpuMs ? added(cpuMs, bareCpu) : '—',
    ];
    section.tables.push({
      caption: `Medians (p25–p75) over ${ROUNDS} interleaved rounds after ${WARMUP_ROUNDS} warm-up rounds. "Added" is a median minus bare node's median. CPU time (user + system of the whole process, from process.cpuUsage() at exit through a preloaded reporter that every run gets) is only known for runs that exit. The what-if bundles are built from bench/what-if/ with the same esbuild options as dist/ and are not shipped.`,
      columns: ['what', 'wall time', 'added', 'CPU time', 'CPU added'],
      rows: [
        row('`node -e 0`: spawn to exit', wall(bare), cpu(bare)),
        ...actions.flatMap((a) => [
          row(`${a.label}: spawn to first \`docker\` call`, series.get(a.bundle)!.toDocker),
          row(
            `${a.label}, \`attestation-policy: bogus\`: spawn to exit`,
            wall(series.get(a.bundle)!.toInvalidExit),
            cpu(series.get(a.bundle)!.toInvalidExit),
          ),
        ]),
        row('`node dist/cli.js --version`: spawn to exit', wall(cliVersion), cpu(cliVersion)),
      ],
    });
    for (const a of actions) {
      for (const problem of series.get(a.bundle)!.problems) section.notes.push(`${a.label} ${problem}`);
    }

    const sizes = ['dist/index.js', 'dist/cli.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-bash.wasm'].map(
      (path) => [path, statSync(join(ROOT, path)).size] as const,
    );
    if (existsSync(ACTION_METAFILE)) section.tables.push(composition(ACTION_METAFILE));
    section.tables.push({
      caption: 'Bundle sizes',
      columns: ['file', 'bytes', 'size'],
      rows: sizes.map(([path, bytes]) => [`\`${path}\``, bytes, mib(bytes)]),
    });

    const shipped = series.get(DIST_ACTION)!;
    const extra = (values: number[]) => (values.length ? summarize(values).median - bareWall : undefined);
    for (const [name, values] of [
      ['to the first docker call', shipped.toDocker],
      ['to exit on an invalid input', wall(shipped.toInvalidExit)],
    ] as const) {
      const addedMs = extra(values);
      section.targets.push({
        name: `bundle load adds < ${LOAD_BUDGET_MS} ms (${name})`,
        measured:
          addedMs === undefined ? `not measured: ${[...shipped.problems].join('; ')}` : `+${ms(addedMs)}`,
        met: addedMs === undefined ? null : addedMs < LOAD_BUDGET_MS,
      });
    }
    const actionSize = sizes[0][1];
    section.targets.push({
      name: '`dist/index.js` < 1 MB',
      measured: `${actionSize} bytes (${mib(actionSize)})`,
      met: actionSize < SIZE_BUDGET_BYTES,
    });
    section.notes.push(
      'The `docker` on PATH is a shell stub (bench/stubs/docker-first-call.sh) that writes `date +%s%N` when it starts; the parent takes its start time from the same wall clock just before spawn.',
    );

    if (section.targets.some((target) => target.met === false) || profileForced) {
      progress('profiling the action on an invalid input');
      section.profiles.push(
        await profileRun(
          '`node dist/index.js` with `attestation-policy: bogus` (unminified build)',
          PROFILE_ACTION,
          [],
          { env: invalid, cwd: work },
        ),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
