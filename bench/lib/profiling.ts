// CPU profiles for targets that were missed (or for every target with BENCH_PROFILE=1): of a child process
// running an unminified bundle, or of a stretch of the bench's own process (itself an unminified bundle).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, RunOptions } from './proc';
import { CpuProfile, readCpuProfile, summarizeProfile } from './profile';
import { ProfileSummary } from './section';

export const profileForced = process.env.BENCH_PROFILE === '1';

/** 100 µs: the default 1 ms is too coarse for runs of a few hundred milliseconds. */
const SAMPLING_INTERVAL_US = 100;

export async function profileRun(
  title: string,
  bundle: string,
  args: string[],
  options: RunOptions,
): Promise<ProfileSummary> {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: bench/run.mjs builds it`);
  const dir = mkdtempSync(join(tmpdir(), 'bxg-bench-prof-'));
  try {
    await run(
      process.execPath,
      [
        '--cpu-prof',
        '--cpu-prof-interval',
        String(SAMPLING_INTERVAL_US),
        '--cpu-prof-dir',
        dir,
        bundle,
        ...args,
      ],
      options,
    );
    return summarizeProfile(title, readCpuProfile(dir), bundle);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Profiles `work` inside this process, through the inspector. */
export async function profileHere(title: string, work: () => Promise<void>): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
    await session.post('Profiler.start');
    await work();
    const { profile } = await session.post('Profiler.stop');
    return summarizeProfile(title, profile as CpuProfile, process.argv[1]);
  } finally {
    session.disconnect();
  }
}
