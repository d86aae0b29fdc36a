import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliLog } from '../../src/core/output/log';
import { OUTPUT_MAX_BYTES, setBoundedOutput } from '../../src/core/output/step-output';
import { parseOutputFile } from '../support/action-runner';

describe('setBoundedOutput', () => {
  let dir: string;
  let outputFile: string;
  const saved = process.env.GITHUB_OUTPUT;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bxg-output-'));
    outputFile = join(dir, 'output');
    writeFileSync(outputFile, '');
    process.env.GITHUB_OUTPUT = outputFile;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.GITHUB_OUTPUT;
    else process.env.GITHUB_OUTPUT = saved;
  });

  const run = (text: string) => {
    const warnings: string[] = [];
    const log = {
      ...cliLog({ write: () => undefined }),
      warning: (message: string) => warnings.push(message),
    };
    setBoundedOutput('report', text, log, { RUNNER_TEMP: dir });
    return { outputs: parseOutputFile(readFileSync(outputFile, 'utf8')), warnings };
  };

  it('sets a value that fits as it is', () => {
    const { outputs, warnings } = run('{"images":[]}');
    expect(outputs.report).toBe('{"images":[]}');
    expect(warnings).toEqual([]);
  });

  it('puts a value over the limit in a file and names it, with a warning', () => {
    const text = JSON.stringify({ images: ['x'.repeat(OUTPUT_MAX_BYTES)] });
    const { outputs, warnings } = run(text);
    const pointer = JSON.parse(outputs.report);
    expect(pointer).toEqual({ truncated: true, bytes: Buffer.byteLength(text), file: expect.any(String) });
    expect(pointer.file.startsWith(dir)).toBe(true);
    expect(readFileSync(pointer.file, 'utf8')).toBe(text);
    expect(Buffer.byteLength(outputs.report)).toBeLessThan(1024);
    expect(warnings).toEqual([expect.stringContaining('over the runner')]);
  });
});
