// What every bench entry hands back to bench/run.mjs: one JSON section of RESULTS.md.
import { writeFileSync } from 'node:fs';

export interface Table {
  caption?: string;
  columns: string[];
  rows: (string | number)[][];
}

/** A target from issue 6 and what this run measured for it; `met: null` means it could not be measured. */
export interface Target {
  name: string;
  measured: string;
  met: boolean | null;
}

export interface ModuleShare {
  module: string;
  selfMs: number;
  percent: number;
}

export interface FunctionShare extends ModuleShare {
  fn: string;
}

export interface ProfileSummary {
  title: string;
  totalMs: number;
  modules: ModuleShare[];
  functions: FunctionShare[];
}

export interface Section {
  id: string;
  /** Set when the whole bench could not run; the renderer then prints "not measured: <reason>". */
  notMeasured?: string;
  tables: Table[];
  targets: Target[];
  notes: string[];
  profiles: ProfileSummary[];
}

/** A precondition that is not there yet (a mode not landed, an env var unset): not a failure of the bench. */
export class NotMeasured extends Error {}

/**
 * Runs one bench and writes its section to the path run.mjs passes as argv[2]. Any error becomes
 * "not measured" with its reason, so a missing mode never turns into invented numbers.
 */
export async function runBench(id: string, body: (section: Section) => Promise<void>): Promise<void> {
  const section: Section = { id, tables: [], targets: [], notes: [], profiles: [] };
  try {
    await body(section);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    section.notMeasured = error instanceof NotMeasured ? message : `the bench failed: ${message}`;
    if (!(error instanceof NotMeasured)) process.stderr.write(`${id}: ${String((error as Error).stack)}\n`);
  }
  writeFileSync(process.argv[2], JSON.stringify(section, null, 2));
  // Servers and keep-alive sockets are closed by each bench; exit anyway so a stray handle cannot hang the run.
  process.exit(0);
}

export function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

/** `--quick`: fewer rounds, for checking the harness rather than for figures. */
export const quick = process.env.BENCH_QUICK === '1';
