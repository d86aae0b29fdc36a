// The action's entry: pick the mode, run it, fail the step on any error. No logic of its own.
import * as core from '@actions/core';
import { describeError } from './core/errors';
import { Mode, readMode } from './modes/mode';
import { actionLog, Log } from './core/output/log';
import { VERSION_LINE } from './core/version';
import { safeLogText } from './core/output/neutralize';

// Each mode is loaded only when it runs: most of the bundle belongs to one mode, and start-up is paid per step.
const modes: Record<Mode, (log: Log) => Promise<void>> = {
  build: async (log) => (await import('./modes/build/mode')).runBuildAction(log),
  verify: async (log) => (await import('./modes/verify/mode')).runVerifyAction(log),
  lint: async (log) => (await import('./modes/lint/mode')).runLintAction(log),
  audit: async (log) => (await import('./modes/audit/mode')).runAuditAction(log),
  repair: async (log) => (await import('./modes/repair/mode')).runRepairAction(log),
};

async function main(): Promise<void> {
  try {
    core.info(VERSION_LINE);
    await modes[readMode(core.getInput)](actionLog());
  } catch (error) {
    core.setFailed(safeLogText(describeError(error)));
  }
}

void main();
