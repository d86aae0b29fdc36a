// Step outputs that cannot outgrow the runner. GitHub refuses an output over 1 MiB (and fails the job), so a
// larger value goes to a file beside the runner's temp files and the output says where, as JSON.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { Log } from './log';
import { safeJson } from './neutralize';

/** Room under GitHub's 1 MiB per output for the runner's own framing. */
export const OUTPUT_MAX_BYTES = 1024 * 1024 - 4096;

/** Sets output `name` to `text`, or, when it is too large, to `{"truncated":true,"bytes":N,"file":path}`. */
export function setBoundedOutput(
  name: string,
  text: string,
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const bytes = Buffer.byteLength(text);
  if (bytes <= OUTPUT_MAX_BYTES) {
    core.setOutput(name, text);
    return;
  }
  const file = join(
    env.RUNNER_TEMP || tmpdir(),
    `buildx-guard-${name}-${randomBytes(6).toString('hex')}.json`,
  );
  writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
  core.setOutput(name, safeJson({ truncated: true, bytes, file }));
  log.warning(
    `The ${name} output would be ${bytes} bytes, over the runner's 1 MiB limit: it is in ${file}, and the output names that file.`,
  );
}
