// Runs the built CLI or action (dist/) as a child process, the way users and runners do.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../../support/action-runner';

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * An environment with nothing from the developer's machine that changes the outcome: no proxies, no docker
 * config, quick retries. `extra` adds or overrides variables.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/proxy|^DOCKER_|^INPUT_|^GITHUB_|^RUNNER_|^BUILDX_GUARD_|^NODE_EXTRA_CA_CERTS$/i.test(name))
      env[name] = value;
  }
  return {
    ...env,
    DOCKER_CONFIG: '/nonexistent/buildx-guard-tests',
    BUILDX_GUARD_RETRY_BASE_MS: '10',
    ...extra,
  };
}

/** Async on purpose: the token server and proxies live in this process and must keep answering. */
export function runNode(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, script), ...args],
      { env, cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (error as { code?: unknown }).code : 0;
        resolve({ status: typeof code === 'number' ? code : -1, stdout, stderr });
      },
    );
  });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
  return runNode('dist/cli.js', args, env);
}

/**
 * What stdout holds when nothing could be checked: nothing in text, and in JSON a report whose every reference
 * is "could not check" (with its reason): never a verdict.
 */
export function noVerdict(stdout: string): boolean {
  if (stdout === '') return true;
  const report = JSON.parse(stdout) as { images: { ok: boolean; problems: { code: string }[] }[] };
  return report.images.every(
    (image) => !image.ok && image.problems.length === 1 && image.problems[0].code === 'could-not-check',
  );
}
