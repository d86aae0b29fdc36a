// `npm run bench` (after scripts/ensure-deps.mjs has built dist/): bundles the TypeScript bench entries and the
// buildx test double into bench/out/, runs each bench in its own process, and writes bench/RESULTS.md.
//
//   node bench/run.mjs [--only startup,verify,verify-token,verify-bound,lint,audit,e2e,engine] [--quick] [--profile]
//
// --quick runs fewer rounds and --only runs some benches: both write bench/out/RESULTS.partial.md instead, since
// RESULTS.md must hold every figure from one full run. --profile takes CPU profiles even when targets are met.
import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { distOptions } from '../scripts/dist-options.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench', 'out');
/** No single bench may run longer than this (the whole run should stay under ~10 minutes). */
const BENCH_TIMEOUT_MS = 6 * 60_000;

const BENCHES = [
  { id: 'startup', title: 'Startup', needs: ['dist/index.js', 'dist/cli.js'] },
  { id: 'verify', title: 'Verification cost as an index grows', needs: ['src/core/verification/index.ts'] },
  {
    id: 'verify-token',
    title: 'Verification with token auth',
    needs: ['src/core/verification/index.ts', '__tests__/support/token-server.ts'],
  },
  {
    id: 'verify-bound',
    title: 'What-if: the in-flight bound of verification',
    needs: ['src/core/verification/index.ts', '__tests__/support/token-server.ts'],
  },
  { id: 'lint', title: 'Lint throughput', needs: ['dist/cli.js'] },
  { id: 'audit', title: 'Audit of a repository with 1,000 tags', needs: ['src/modes/audit/audit.ts'] },
  {
    id: 'hostile',
    title: 'Bounded work on hostile input (issue 11)',
    needs: ['dist/cli.js', '__tests__/support/hostile-registry.ts'],
  },
  {
    id: 'e2e',
    title: 'End to end: build mode against docker/build-push-action',
    needs: ['dist/index.js', '__tests__/support/docker-double/main.ts'],
  },
  {
    id: 'engine',
    title: 'Build mode on the real engine: overhead over a bare build',
    needs: ['dist/index.js'],
  },
];

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const only = flags.only?.split(',').map((id) => id.trim());
const unknown = only?.filter((id) => !BENCHES.some((bench) => bench.id === id)) ?? [];
if (unknown.length) {
  console.error(
    `Invalid --only: "${unknown.join(',')}". Use some of: ${BENCHES.map((b) => b.id).join(', ')}.`,
  );
  process.exit(2);
}
const selected = BENCHES.filter((bench) => !only || only.includes(bench.id));
const complete = !flags.quick && !only;
const resultsPath = complete ? join(ROOT, 'bench', 'RESULTS.md') : join(OUT, 'RESULTS.partial.md');

const bundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'silent',
  absWorkingDir: ROOT,
};

/** Bundles one entry; returns an error message instead of throwing, so one broken bench does not stop the rest. */
async function bundle(entry, outfile, extra = {}) {
  try {
    await build({ ...bundleOptions, entryPoints: [join(ROOT, entry)], outfile, ...extra });
    return undefined;
  } catch (error) {
    const first = error.errors?.[0];
    return first ? `${first.location?.file ?? entry}: ${first.text}` : String(error);
  }
}

async function prepare() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(join(OUT, 'bin'), { recursive: true });
  mkdirSync(join(OUT, 'docker-config'));
  const problems = [];
  for (const name of ['usage-reporter', 'yaml-baseline', 'latency-proxy', 'registry-server']) {
    const error = await bundle(`bench/${name}.ts`, join(OUT, `${name}.js`));
    if (error) problems.push(`bench/${name}.ts does not build: ${error}`);
  }
  // dist/ built again: unminified, for CPU profiles that name the source module of every sample, and minified
  // with a metafile, for the startup bench's tables of what each file is made of and what build mode reads.
  for (const [dir, extra] of [
    ['prof', { minify: false }],
    ['dist-meta', { metafile: true }],
  ]) {
    try {
      const outdir = join(OUT, dir);
      const { metafile } = await build({
        ...distOptions,
        ...extra,
        absWorkingDir: ROOT,
        outdir,
        logLevel: 'silent',
      });
      writeFileSync(join(outdir, 'package.json'), '{ "type": "module" }\n');
      if (metafile) writeFileSync(join(OUT, 'dist.meta.json'), JSON.stringify(metafile));
    } catch (error) {
      problems.push(`bench/out/${dir} does not build: ${error.message}`);
    }
  }
  for (const wasm of ['tree-sitter.wasm', 'tree-sitter-bash.wasm']) {
    if (existsSync(join(ROOT, 'dist', wasm))) copyFileSync(join(ROOT, 'dist', wasm), join(OUT, 'prof', wasm));
  }
  // The buildx test double, bundled exactly as __tests__/support/global-setup.js does.
  const double = '__tests__/support/docker-double/main.ts';
  if (existsSync(join(ROOT, double))) {
    const error = await bundle(double, join(OUT, 'bin', 'docker'), { banner: { js: '#!/usr/bin/env node' } });
    if (error) problems.push(`the docker test double does not build: ${error}`);
    else chmodSync(join(OUT, 'bin', 'docker'), 0o755);
  }
  return problems;
}

/** Runs bench/check.ts, the harness's check of its own pure parts; false (after saying why) when it fails. */
async function selfCheck() {
  const script = join(OUT, 'check.js');
  const error = await bundle('bench/check.ts', script);
  if (error) {
    console.error(`bench: the self-check does not build: ${error}`);
    return false;
  }
  const check = spawnSync(process.execPath, [script], { cwd: ROOT, stdio: 'inherit' });
  if (check.status !== 0) console.error('bench: the harness failed its self-check; no figures were taken.');
  return check.status === 0;
}

async function runOne(bench) {
  const missing = bench.needs.filter((path) => !existsSync(join(ROOT, path)));
  if (missing.length) return notMeasured(bench, `${missing.join(', ')} does not exist yet`);
  const script = join(OUT, `${bench.id}.js`);
  const error = await bundle(`bench/${bench.id}.ts`, script);
  if (error) return notMeasured(bench, `the bench does not build: ${error}`);
  const sectionPath = join(OUT, `${bench.id}.json`);
  const env = {
    ...process.env,
    // No bench may read the credentials of whoever runs it.
    DOCKER_CONFIG: join(OUT, 'docker-config'),
    ...(flags.quick ? { BENCH_QUICK: '1' } : {}),
    ...(flags.profile ? { BENCH_PROFILE: '1' } : {}),
  };
  const why = await runInOwnGroup(script, [sectionPath], env);
  if (!existsSync(sectionPath)) return notMeasured(bench, `the bench process ended without results (${why})`);
  return { ...JSON.parse(readFileSync(sectionPath, 'utf8')), title: bench.title };
}

/**
 * Runs a bench in a process group of its own, so that on a timeout, or if the bench leaves a server behind
 * (a registry, a proxy), the whole group is stopped. Resolves with how it ended.
 */
function runInOwnGroup(script, args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    const stopGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => stopGroup('SIGKILL'), BENCH_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve(error.message);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      stopGroup('SIGTERM');
      resolve(signal ? `killed by ${signal}` : `exit ${code}`);
    });
  });
}

function notMeasured(bench, reason) {
  return {
    id: bench.id,
    title: bench.title,
    notMeasured: reason,
    tables: [],
    targets: [],
    notes: [],
    profiles: [],
  };
}

// ---- RESULTS.md ----

const cell = (value) => String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(columns, rows) {
  return [
    `| ${columns.map(cell).join(' | ')} |`,
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

const verdict = (met) => (met === true ? 'met' : met === false ? '**missed**' : 'not measured');

function machine() {
  const cpu = cpus();
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return table(
    ['', ''],
    [
      ['CPU', `${cpu[0]?.model ?? 'unknown'} × ${cpu.length}`],
      ['memory', `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`],
      ['OS', `${platform()} ${release()}`],
      ['node', process.version],
      ['date', new Date().toISOString()],
      ['load average at start', loadAtStart.map((load) => load.toFixed(2)).join(', ')],
      ['commit', commit.status === 0 ? `${commit.stdout.trim()} (plus any uncommitted changes)` : 'unknown'],
    ],
  );
}

function renderSection(section, seconds) {
  const parts = [`## ${section.title}`, `_${seconds.toFixed(1)} s_`];
  if (section.notMeasured) parts.push(`**Not measured:** ${section.notMeasured}`);
  for (const t of section.tables) {
    if (t.caption) parts.push(t.caption);
    parts.push(table(t.columns, t.rows));
  }
  if (section.targets.length) {
    parts.push(
      table(
        ['target', 'measured', 'verdict'],
        section.targets.map((t) => [t.name, t.measured, verdict(t.met)]),
      ),
    );
  }
  for (const note of section.notes) parts.push(`- ${note}`);
  for (const profile of section.profiles) {
    parts.push(`### CPU profile: ${profile.title}`);
    parts.push(
      `${profile.totalMs.toFixed(0)} ms sampled. Time charged to each module (the innermost bundle frame on the sampled stack; so a module pays for the built-ins it loads and the calls it makes):`,
    );
    parts.push(
      table(
        ['module', 'ms', '%'],
        profile.modules.map((m) => [m.module, m.selfMs.toFixed(1), m.percent.toFixed(1)]),
      ),
    );
    parts.push('Hottest functions:');
    parts.push(
      table(
        ['function', 'module', 'self ms', '%'],
        profile.functions.map((f) => [f.fn, f.module, f.selfMs.toFixed(1), f.percent.toFixed(1)]),
      ),
    );
  }
  return parts.join('\n\n');
}

function render(sections, durations, problems, totalSeconds) {
  const summaryRows = sections.flatMap((section) =>
    section.notMeasured
      ? [[section.title, '—', `not measured: ${section.notMeasured}`, 'not measured']]
      : section.targets.map((t) => [section.title, t.name, t.measured, verdict(t.met)]),
  );
  const analysisPath = join(ROOT, 'bench', 'ANALYSIS.md');
  return [
    '# Benchmark results',
    `Generated by \`npm run bench\` (bench/run.mjs${process.argv.length > 2 ? ' ' + process.argv.slice(2).join(' ') : ''}) in ${totalSeconds.toFixed(0)} s. Every figure below comes from this one run. Do not edit by hand: the hand-written analysis of misses lives in bench/ANALYSIS.md and is appended at the end.`,
    '## Machine',
    machine(),
    '## Targets',
    table(['bench', 'target', 'measured', 'verdict'], summaryRows),
    ...problems.map((problem) => `- Setup: ${problem}`),
    ...sections.map((section) => renderSection(section, durations[section.id])),
    ...(existsSync(analysisPath) ? [readFileSync(analysisPath, 'utf8').trim()] : []),
  ].join('\n\n');
}

const started = performance.now();
const loadAtStart = loadavg();
console.error(`bench: preparing bench/out`);
const problems = await prepare();
for (const problem of problems) console.error(`bench: ${problem}`);
if (!(await selfCheck())) process.exit(1);
const sections = [];
const durations = {};
for (const bench of selected) {
  console.error(`bench: ${bench.id}`);
  const benchStart = performance.now();
  const section = await runOne(bench);
  durations[bench.id] = (performance.now() - benchStart) / 1000;
  if (section.notMeasured) console.error(`bench: ${bench.id}: not measured: ${section.notMeasured}`);
  sections.push(section);
}
const totalSeconds = (performance.now() - started) / 1000;
writeFileSync(resultsPath, render(sections, durations, problems, totalSeconds) + '\n');
console.error(`bench: wrote ${resultsPath} in ${totalSeconds.toFixed(0)} s`);
for (const section of sections) {
  for (const t of section.targets)
    console.error(`  ${verdict(t.met).padEnd(14)} ${section.id}: ${t.name}: ${t.measured}`);
}
