// The action's entry: pick the mode, run it, fail the step on any error. No logic of its own.
import * as core from '@actions/core';
import { describeError } from './errors';
import { readMode } from './inputs/mode';
import { actionLog } from './report/log';
import { runBuildAction } from './build/mode';
import { runVerifyAction } from './verify/mode';
import { runLintAction } from './lint/mode';

const modes = { build: runBuildAction, verify: runVerifyAction, lint: runLintAction };

async function main(): Promise<void> {
  try {
    await modes[readMode(core.getInput)](actionLog());
  } catch (error) {
    core.setFailed(describeError(error));
  }
}

void main();
