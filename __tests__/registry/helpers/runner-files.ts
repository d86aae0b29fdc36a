// The files a runner gives a step (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), and reading them back as it does.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** `name<<DELIMITER\nvalue\nDELIMITER\n` blocks, as @actions/core writes them and the runner reads them. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const end = lines.indexOf(match[2], i + 1);
    outputs[match[1]] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}
