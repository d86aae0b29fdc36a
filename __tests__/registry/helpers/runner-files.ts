// The files a runner gives a step (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), and reading them back as it does.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOutputFile } from '../../support/action-runner';

export interface RunnerFiles {
  env: { GITHUB_OUTPUT: string; GITHUB_STEP_SUMMARY: string };
  outputs(): Record<string, string>;
  summary(): string;
}

export function runnerFiles(): RunnerFiles {
  const dir = mkdtempSync(join(tmpdir(), 'bxg-runner-'));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  return {
    env: { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary },
    outputs: () => parseOutputFile(readFileSync(output, 'utf8')),
    summary: () => readFileSync(summary, 'utf8'),
  };
}
