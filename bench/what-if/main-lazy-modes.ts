// Startup what-if, not shipped: src/main.ts with each mode's module loaded only when that mode runs (build mode
// need not load lint's code before its first docker call). bench/run.mjs bundles it like dist/index.js, with
// undici and @actions/http-client deferred; the startup bench times it.
import * as core from '@actions/core';
import { describeError } from '../../src/core/errors';
import { readMode } from '../../src/modes/mode';
import { actionLog } from '../../src/core/output/log';

const modes = {
  build: async () => (await import('../../src/modes/build/mode')).runBuildAction,
  verify: async () => (await import('../../src/modes/verify/mode')).runVerifyAction,
  lint: async () => (await import('../../src/modes/lint/mode')).runLintAction,
};

async function main(): Promise<void> {
  try {
    const run = await modes[readMode(core.getInput)]();
    await run(actionLog());
  } catch (error) {
    core.setFailed(describeError(error));
  }
}

void main();
