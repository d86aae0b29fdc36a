// Child processes for the benches: argv arrays only, wall time on one clock, an upper bound on every run.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** Wall-clock epoch milliseconds with sub-millisecond resolution, comparable with `date +%s%N` in a stub. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where stdout goes; by default it is collected in memory. */
  stdoutFile?: string;
  timeoutMs?: number;
}

export interface RunResult {
  code: number | null;
  /** epochMs() just before spawn. */
  startedAt: number;
  wallMs: number;
  stdout: string;
  stderr: string;
}

const DEFAULT_TIMEOUT_MS = 180_000;

export function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const stdoutFd = options.stdoutFile ? openSync(options.stdoutFile, 'w') : undefined;
  return new Promise((resolve, reject) => {
    const startedAt = epochMs();
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      const wallMs = epochMs() - startedAt;
      clearTimeout(timer);
      if (stdoutFd !== undefined) closeSync(stdoutFd);
      resolve({ code, startedAt, wallMs, stdout, stderr });
    });
  });
}

export interface MeasuredRun extends RunResult {
  maxRssKb: number;
  /** User + system CPU time of the whole node process. */
  cpuMs: number;
}

const GNU_TIME = '/usr/bin/time';

/** How peak memory is taken: GNU time's wait4 figure, or the child's own resourceUsage() at exit. */
export const rssMethod = existsSync(GNU_TIME) ? '/usr/bin/time -v' : 'process.resourceUsage().maxRSS';

/**
 * Runs a node script and reports its peak RSS and CPU time. `usageReporter` is the bundled
 * bench/usage-reporter.ts, preloaded with --require (the same small cost for every measured script); peak RSS
 * comes from GNU time instead when it is installed.
 */
export async function runNodeMeasured(
  script: string,
  args: string[],
  options: RunOptions & {
    usageReporter: string;
    /** false: skip GNU time, whose fork adds to wall time. */
    gnuTime?: boolean;
    /** Options for node itself, before the script. */
    nodeOptions?: string[];
  },
): Promise<MeasuredRun> {
  const gnuTime = options.gnuTime !== false && existsSync(GNU_TIME);
  const dir = mkdtempSync(join(tmpdir(), 'bxg-bench-usage-'));
  const usageFile = join(dir, 'usage.json');
  const timeFile = join(dir, 'time');
  const node = [
    process.execPath,
    ...(options.nodeOptions ?? []),
    '--require',
    options.usageReporter,
    script,
    ...args,
  ];
  const env = { ...options.env, BENCH_USAGE_FILE: usageFile };
  try {
    const result = gnuTime
      ? await run(GNU_TIME, ['-v', '-o', timeFile, ...node], { ...options, env })
      : await run(node[0], node.slice(1), { ...options, env });
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as { maxRssKb: number; cpuMs: number };
    const maxRssKb = gnuTime ? gnuTimeMaxRssKb(readFileSync(timeFile, 'utf8')) : usage.maxRssKb;
    return { ...result, maxRssKb, cpuMs: usage.cpuMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** GNU time -v's "Maximum resident set size (kbytes): N". */
function gnuTimeMaxRssKb(text: string): number {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
  if (!match) throw new Error(`no peak RSS in: ${text.slice(0, 200)}`);
  return Number(match[1]);
}

/** The last non-empty line a failed child printed, for a one-line "why". */
export function lastLine(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.length ? lines[lines.length - 1].trim().slice(0, 300) : '(no output)';
}
