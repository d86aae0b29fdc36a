// Issue 6, item 1: what loading the action costs before it does anything, against bare `node -e 0`.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ACTION_YML,
  DIST_ACTION,
  DIST_CLI,
  DIST_METAFILE,
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
/** What build mode may read (and V8 parse) of dist/ before its first docker call. */
const STARTUP_BYTES_BUDGET = 300 * 1024;

const ACTIONS = [{ label: '`node dist/index.js`', bundle: DIST_ACTION }];

interface Metafile {
  outputs: Record<
    string,
    {
      bytes: number;
      entryPoint?: string;
      imports: { path: string; kind: string }[];
      inputs: Record<string, { bytesInOutput: number }>;
    }
  >;
}

/** Bytes of dist/'s JavaScript by package (or source directory), from esbuild's metafile of the same build. */
function composition(metafile: Metafile): Table {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const owner = path.startsWith('src/') ? path.split('/').slice(0, 3).join('/') : packageOf(path);
      bytes.set(owner, (bytes.get(owner) ?? 0) + input.bytesInOutput);
    }
  }
  const total = [...bytes.values()].reduce((sum, n) => sum + n, 0);
  return {
    caption: `What the JavaScript of \`dist/\` is made of, all entries and chunks (esbuild metafile of the same minified build), by package or source directory.`,
    columns: ['package or directory', 'bytes', '%'],
    rows: [...bytes]
      .sort(([, a], [, b]) => b - a)
      .map(([owner, n]) => [owner, n, ((100 * n) / total).toFixed(1)]),
  };
}

/**
 * The files a run of `entry` in `mode` reads before the mode does anything: the entry, the mode's chunk, and
 * every chunk either imports statically (dynamic imports are read only when reached).
 */
function startupFiles(metafile: Metafile, entry: string, mode: string): [string, number][] {
  const byEntry = (source: string) =>
    Object.keys(metafile.outputs).find((path) => metafile.outputs[path].entryPoint === source);
  const read = new Set<string>();
  const visit = (path: string | undefined) => {
    if (path === undefined || read.has(path) || !metafile.outputs[path]) return;
    read.add(path);
    for (const imported of metafile.outputs[path].imports)
      if (imported.kind === 'import-statement') visit(imported.path);
  };
  visit(byEntry(entry));
  visit(byEntry(mode));
  return [...read].map((path) => [path.split('/').at(-1)!, metafile.outputs[path].bytes]);
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
  const actions = ACTIONS;
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
      caption: `Medians (p25–p75) over ${ROUNDS} interleaved rounds after ${WARMUP_ROUNDS} warm-up rounds. "Added" is a median minus bare node's median. CPU time (user + system of the whole process, from process.cpuUsage() at exit through a preloaded reporter that every run gets) is only known for runs that exit.`,
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

    const sizes = readdirSync(join(ROOT, 'dist'))
      .sort()
      .map((name) => [`dist/${name}`, statSync(join(ROOT, 'dist', name)).size] as const);
    const javascript = sizes.filter(([path]) => path.endsWith('.js')).reduce((sum, [, n]) => sum + n, 0);
    section.tables.push({
      caption: 'Bundle sizes: the entries, the chunks they load, the wasm of the shell grammar, the licences',
      columns: ['file', 'bytes', 'size'],
      rows: [
        ...sizes.map(([path, bytes]) => [`\`${path}\``, bytes, mib(bytes)]),
        ['all JavaScript', javascript, mib(javascript)],
      ],
    });
    const metafile = existsSync(DIST_METAFILE)
      ? (JSON.parse(readFileSync(DIST_METAFILE, 'utf8')) as Metafile)
      : undefined;
    const startupRead = metafile ? startupFiles(metafile, 'src/main.ts', 'src/modes/build/mode.ts') : [];
    const startupBytes = startupRead.reduce((sum, [, n]) => sum + n, 0);
    if (metafile) {
      section.tables.push(composition(metafile));
      section.tables.push({
        caption:
          'What build mode reads of the bundle before its first `docker` call: `dist/index.js`, the build chunk, and the chunks they import statically (names from the bench build of the same sources; dist/ has the same files when it is fresh)',
        columns: ['file', 'bytes'],
        rows: [...startupRead.map(([name, bytes]) => [`\`${name}\``, bytes]), ['total', startupBytes]],
      });
    }

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
    section.targets.push({
      name: "`dist/`'s JavaScript < 1 MB",
      measured: `${javascript} bytes (${mib(javascript)})`,
      met: javascript < SIZE_BUDGET_BYTES,
    });
    section.targets.push({
      name: 'build mode reads < 300 KB of the bundle before its first docker call',
      measured: metafile
        ? `${startupBytes} bytes (${(startupBytes / 1024).toFixed(0)} KB)`
        : 'not measured: no metafile',
      met: metafile ? startupBytes < STARTUP_BYTES_BUDGET : null,
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
