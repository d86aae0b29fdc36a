// The one place that runs docker: `docker buildx version`, `docker buildx inspect [--builder NAME]` and
// `docker buildx build`. Argv arrays through @actions/exec, never a shell string.
import { Writable } from 'node:stream';
import { exec, getExecOutput } from '@actions/exec';
import { CheckError } from '../../core/errors';
import type { BuilderFacts } from './argv';

export interface BuildRun {
  exitCode: number;
  /** buildx's stderr, kept so a failure can quote buildx's own error. */
  stderr: string;
}

export interface Docker {
  buildxVersion(): Promise<string>;
  inspectBuilder(builder: string): Promise<string>;
  /** Streams buildx's output as it comes; `env` is added to this process's environment. */
  build(argv: string[], env: Record<string, string>): Promise<BuildRun>;
}

const STDERR_TAIL = 64 * 1024;

const INSTALL_HINT =
  'Install Docker with the buildx plugin before this step (on GitHub: docker/setup-buildx-action), ' +
  'or put docker on PATH.';

/** @actions/exec, streaming buildx's output to `out` (the action's log is stdout; the CLI keeps it on stderr). */
export function execDocker(streams: { out: Writable; err: Writable }): Docker {
  const run = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      const message = (error as Error).message;
      if (/Unable to locate executable file/.test(message)) {
        throw new CheckError(`docker was not found on PATH, so ${what} cannot run. ${INSTALL_HINT}`);
      }
      throw new CheckError(`${what} could not run: ${message}`);
    }
  };
  const quietly = (args: string[]) =>
    run(`docker ${args.join(' ')}`, () =>
      getExecOutput('docker', args, { silent: true, ignoreReturnCode: true }),
    );
  return {
    async buildxVersion() {
      const { exitCode, stdout, stderr } = await quietly(['buildx', 'version']);
      if (exitCode !== 0) {
        // Docker ends its sentence ("… is not a docker command."): one full stop is enough.
        const said = (stderr || stdout).trim().split('\n')[0].replace(/\.$/, '');
        throw new CheckError(
          `docker buildx version failed (exit code ${exitCode}): ${said}. ${INSTALL_HINT}`,
        );
      }
      return stdout;
    },
    async inspectBuilder(builder) {
      const { exitCode, stdout, stderr } = await quietly([
        'buildx',
        'inspect',
        ...(builder ? ['--builder', builder] : []),
      ]);
      if (exitCode !== 0) throw new CheckError(`docker buildx inspect failed: ${stderr.trim()}`);
      return stdout;
    },
    async build(argv, env) {
      let stderr = '';
      const exitCode = await run('docker buildx build', () =>
        exec('docker', argv, {
          env: { ...(process.env as Record<string, string>), ...env },
          ignoreReturnCode: true,
          outStream: streams.out,
          errStream: streams.err,
          // The tail is enough to quote buildx's error; a long build log need not stay in memory.
          listeners: { stderr: (data) => (stderr = (stderr + data.toString()).slice(-STDERR_TAIL)) },
        }),
      );
      return { exitCode, stderr };
    },
  };
}

/** The builder's driver and each node's BuildKit version, from `docker buildx inspect` (`Buildkit:` before 0.11). */
export function parseBuilderFacts(inspectOutput: string): BuilderFacts {
  const driver = /^Driver:\s*(\S*)/m.exec(inspectOutput)?.[1] ?? '';
  const buildkit = [...inspectOutput.matchAll(/^Build[Kk]it(?: version)?:\s*(\S*)\s*$/gm)].map((m) => m[1]);
  return { driver, buildkit };
}

/** buildx's own error for the step's message: its `ERROR:` lines, or the last lines it printed. */
export function buildxError(stderr: string): string {
  const lines = stderr.split(/\r?\n/).filter((line) => line.trim() !== '');
  const errors = lines.filter((line) => /^(ERROR|error):/.test(line.trim()));
  return (errors.length > 0 ? errors : lines.slice(-5)).join('\n');
}
