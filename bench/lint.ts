// Issue 6, item 3: lint throughput and peak memory on generated corpora of 100, 1,000 and 10,000 workflow files,
// against reading and parsing the same files with the `yaml` package alone. Both run as child processes from a
// cold start, as CI runs them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorpusStats, writeCorpus } from './lib/corpus';
import { DIST_CLI, PROFILE_CLI, USAGE_REPORTER, YAML_BASELINE } from './lib/paths';
import { lastLine, MeasuredRun, rssMethod, runNodeMeasured } from './lib/proc';
import { profileForced, profileRun } from './lib/profiling';
import { NotMeasured, progress, quick, runBench } from './lib/section';
import { ms, summarize } from './lib/stats';

const SIZES = quick ? [100, 1000] : [100, 1000, 10_000];
const ROUNDS = quick ? 1 : 3;
const FILES_PER_SECOND_TARGET = 1000;
const RATIO_TARGET = 3;
/** "Memory that does not grow with the corpus": 10× the files may cost at most this much more peak RSS. */
const RSS_GROWTH_LIMIT = 1.2;
/** The diagnostic run's old-space cap: far less than a corpus of parsed documents would need. */
const CAPPED_OLD_SPACE_MB = 48;

interface Finding {
  file: string;
  severity: string;
}

/** The "after" sizes of V8's `--trace-gc` lines for full GCs: `Mark-Compact 46.7 (76.2) -> 18.8 (76.2) MB`. */
function liveHeapAfterFullGcs(traceGc: string): number[] {
  return [...traceGc.matchAll(/Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g)].map((match) =>
    Number(match[1]),
  );
}

interface SizeResult {
  size: number;
  corpus: CorpusStats;
  lint: MeasuredRun[];
  baseline: MeasuredRun[];
}

runBench('lint', async (section) => {
  const work = mkdtempSync(join(tmpdir(), 'bxg-bench-lint-'));
  const env = { ...process.env, NO_COLOR: '1' };
  try {
    const results: SizeResult[] = SIZES.map((size) => {
      const corpus = writeCorpus(join(work, `corpus-${size}`), size);
      return { size, corpus, lint: [], baseline: [] };
    });
    progress(`wrote corpora of ${SIZES.join(', ')} files`);

    const lintOutput = (size: number) => join(work, `findings-${size}.json`);
    const lint = (size: number) =>
      runNodeMeasured(DIST_CLI, ['lint', '--format', 'json'], {
        cwd: join(work, `corpus-${size}`),
        env,
        stdoutFile: lintOutput(size),
        usageReporter: USAGE_REPORTER,
      });
    const baseline = (size: number) =>
      runNodeMeasured(YAML_BASELINE, [join(work, `corpus-${size}`)], { env, usageReporter: USAGE_REPORTER });

    // Lint exits 1 when it reports an error-level finding, which these corpora contain; 2 means it could not lint.
    const first = await lint(SIZES[0]);
    if (first.code !== 0 && first.code !== 1) {
      throw new NotMeasured(`\`buildx-guard lint\` exited ${first.code}: ${lastLine(first.stderr)}`);
    }

    progress(`${ROUNDS} round(s), alternating the yaml baseline and lint, for each corpus`);
    for (let round = 0; round < ROUNDS; round++) {
      for (const result of results) {
        const bare = await baseline(result.size);
        const bareOutput = JSON.parse(bare.stdout) as { files: number; yamlErrors: number };
        if (bareOutput.files !== result.size || bareOutput.yamlErrors !== 0) {
          throw new Error(
            `the yaml baseline saw ${bare.stdout.trim()} in a corpus of ${result.size} valid files`,
          );
        }
        result.baseline.push(bare);
        const linted = await lint(result.size);
        if (linted.code !== 0 && linted.code !== 1) {
          throw new Error(`lint exited ${linted.code} on ${result.size} files: ${lastLine(linted.stderr)}`);
        }
        result.lint.push(linted);
      }
    }

    const median = (runs: MeasuredRun[], pick: (run: MeasuredRun) => number) =>
      summarize(runs.map(pick)).median;
    const rows = results.map((r) => {
      const lintMs = median(r.lint, (run) => run.wallMs);
      const bareMs = median(r.baseline, (run) => run.wallMs);
      const lintRss = Math.max(...r.lint.map((run) => run.maxRssKb));
      const bareRss = Math.max(...r.baseline.map((run) => run.maxRssKb));
      const lintCpu = median(r.lint, (run) => run.cpuMs);
      const bareCpu = median(r.baseline, (run) => run.cpuMs);
      return {
        ...r,
        lintMs,
        bareMs,
        lintRss,
        bareRss,
        lintCpu,
        bareCpu,
        filesPerSecond: (r.size / lintMs) * 1000,
      };
    });
    section.tables.push({
      caption: `Whole process from spawn to exit (cold start included), median of ${ROUNDS} round(s); peak RSS is the largest of the rounds (${rssMethod}); CPU is user + system time of the whole process (lint's tree-sitter and GC threads included). The baseline (bench/yaml-baseline.ts) walks the same files and runs \`parseDocument\` with a \`LineCounter\` on each.`,
      columns: [
        'files',
        'corpus size',
        'lint',
        'files/s',
        'lint CPU',
        'lint peak RSS',
        'yaml alone',
        'yaml CPU',
        'yaml peak RSS',
        'lint ÷ yaml (wall)',
        'lint ÷ yaml (CPU)',
      ],
      rows: rows.map((r) => [
        r.size.toLocaleString('en'),
        `${(r.corpus.bytes / 1024 / 1024).toFixed(1)} MiB`,
        ms(r.lintMs),
        Math.round(r.filesPerSecond).toLocaleString('en'),
        ms(r.lintCpu),
        `${(r.lintRss / 1024).toFixed(0)} MiB`,
        ms(r.bareMs),
        ms(r.bareCpu),
        `${(r.bareRss / 1024).toFixed(0)} MiB`,
        `${(r.lintMs / r.bareMs).toFixed(2)}×`,
        `${(r.lintCpu / r.bareCpu).toFixed(2)}×`,
      ]),
    });

    // Per-file cost without start-up: the slope between the two largest corpora.
    const [smaller, largest] = rows.slice(-2);
    const extraFiles = largest.size - smaller.size;
    const lintPerFile = (largest.lintMs - smaller.lintMs) / extraFiles;
    const barePerFile = (largest.bareMs - smaller.bareMs) / extraFiles;
    section.notes.push(
      `Marginal cost per file (slope from ${smaller.size.toLocaleString('en')} to ${largest.size.toLocaleString('en')} files, start-up excluded): lint ${(lintPerFile * 1000).toFixed(0)} µs, yaml alone ${(barePerFile * 1000).toFixed(0)} µs (${(lintPerFile / barePerFile).toFixed(2)}×), i.e. ${Math.round(1000 / lintPerFile).toLocaleString('en')} files/s at steady state.`,
    );
    for (const r of rows) {
      const findings = (JSON.parse(readFileSync(lintOutput(r.size), 'utf8')) as { findings: Finding[] })
        .findings;
      const flaggedFiles = new Set(findings.filter((f) => f.severity === 'error').map((f) => f.file)).size;
      section.notes.push(
        `${r.size.toLocaleString('en')} files: lint reported ${findings.length.toLocaleString('en')} findings, errors in ${flaggedFiles.toLocaleString('en')} files; the generator's templates expect errors in ${r.corpus.flagged.toLocaleString('en')} files (a sanity check that every file was read, not a test of the rules).`,
      );
    }

    section.targets.push(
      {
        name: `≥ ${FILES_PER_SECOND_TARGET.toLocaleString('en')} files/s (${largest.size.toLocaleString('en')} files, whole process)`,
        measured: `${Math.round(largest.filesPerSecond).toLocaleString('en')} files/s`,
        met: largest.filesPerSecond >= FILES_PER_SECOND_TARGET,
      },
      {
        name: `memory does not grow with the corpus (peak RSS at ${largest.size.toLocaleString('en')} files ≤ ${RSS_GROWTH_LIMIT}× at ${smaller.size.toLocaleString('en')})`,
        measured: `${(largest.lintRss / 1024).toFixed(0)} MiB vs ${(smaller.lintRss / 1024).toFixed(0)} MiB: ${(largest.lintRss / smaller.lintRss).toFixed(2)}×`,
        met: largest.lintRss <= RSS_GROWTH_LIMIT * smaller.lintRss,
      },
      {
        name: `lint ≤ ${RATIO_TARGET}× bare yaml parsing (${largest.size.toLocaleString('en')} files, whole process)`,
        measured: `${(largest.lintMs / largest.bareMs).toFixed(2)}×`,
        met: largest.lintMs <= RATIO_TARGET * largest.bareMs,
      },
    );

    // Peak RSS also follows V8's heap sizing, which grows with the rate of allocation. What the corpus makes
    // lint keep shows in the live heap after each full GC, and in whether lint still runs with a small heap.
    progress(`diagnostic: old space capped at ${CAPPED_OLD_SPACE_MB} MB, --trace-gc`);
    const capped: (string | number)[][] = [];
    for (const r of rows.slice(-2)) {
      const output = join(work, `capped-${r.size}.txt`);
      const run = await runNodeMeasured(DIST_CLI, ['lint', '--format', 'json'], {
        cwd: join(work, `corpus-${r.size}`),
        env,
        stdoutFile: output,
        usageReporter: USAGE_REPORTER,
        nodeOptions: [`--max-old-space-size=${CAPPED_OLD_SPACE_MB}`, '--trace-gc'],
      });
      const live = liveHeapAfterFullGcs(readFileSync(output, 'utf8'));
      capped.push([
        r.size.toLocaleString('en'),
        run.code === 0 || run.code === 1 ? `finished (exit ${run.code})` : `failed (exit ${run.code})`,
        ms(run.wallMs),
        `${(run.maxRssKb / 1024).toFixed(0)} MiB`,
        live.length ? `${Math.max(...live).toFixed(1)} MB` : 'no full GC',
        live.length,
      ]);
    }
    section.tables.push({
      caption: `Diagnostic, one run per corpus: lint with \`--max-old-space-size=${CAPPED_OLD_SPACE_MB}\` and \`--trace-gc\`. "Live heap" is the largest heap left after a full (mark-compact) GC, i.e. what lint still held.`,
      columns: ['files', 'result', 'time', 'peak RSS', 'largest live heap after a full GC', 'full GCs'],
      rows: capped,
    });

    if (section.targets.some((t) => t.met === false) || profileForced) {
      progress(`profiling lint on ${largest.size} files`);
      section.profiles.push(
        await profileRun(
          `\`buildx-guard lint --format json\` on ${largest.size.toLocaleString('en')} files (unminified build)`,
          PROFILE_CLI,
          ['lint', '--format', 'json'],
          { cwd: join(work, `corpus-${largest.size}`), env, stdoutFile: join(work, 'profiled.json') },
        ),
        // The same files through the baseline, so each module's share can be set against bare parsing.
        await profileRun(
          `the yaml baseline on the same ${largest.size.toLocaleString('en')} files`,
          YAML_BASELINE,
          [join(work, `corpus-${largest.size}`)],
          { env },
        ),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
