// The CLI's entry: pick the subcommand, run it, map errors to exit codes. No logic of its own.
import { describeError, ExitCode, InputError } from './core/errors';
import { cliLog } from './core/output/log';
import { CliIO } from './core/output/cli-io';
import { VERSION_LINE } from './core/version';
import { safeLogText } from './core/output/neutralize';

// Each subcommand is loaded only when it runs, to keep start-up short.
const commands: Record<string, (args: string[], io: CliIO) => Promise<number>> = {
  build: async (args, io) => (await import('./modes/build/mode')).buildCommand(args, io),
  verify: async (args, io) => (await import('./modes/verify/mode')).verifyCommand(args, io),
  lint: async (args, io) => (await import('./modes/lint/mode')).lintCommand(args, io),
  audit: async (args, io) => (await import('./modes/audit/mode')).auditCommand(args, io),
  repair: async (args, io) => (await import('./modes/repair/mode')).repairCommand(args, io),
};

const USAGE = `Usage: buildx-guard <command> [options]

Commands:
  build [guard options] -- <buildx build args>   run docker buildx build with the attestation policy, then verify the push
  verify [options] REF...                        check what a registry serves under image references
  lint [options] [PATH...]                       check workflow files for builds that will push attestation indexes
                                                 (lint - reads one workflow from standard input)
  audit [options] REPOSITORY...                  verify every tag, total attestation bloat and dangling indexes, write the keep-set
  repair strip-attestations|heal [options] REF...  re-point a tag to its image, or heal a dangling index from a source

Options:
  -h, --help       show help (also: buildx-guard <command> --help)
  -v, --version    print the version

Exit codes: 0 ok, 1 a violation or finding, 2 could not check (usage, network, auth).
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  // Asked for, the usage is the output; without a command, it is a usage error.
  if (command === undefined) {
    process.stderr.write(USAGE);
    return ExitCode.cannotCheck;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return ExitCode.ok;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${VERSION_LINE}\n`);
    return ExitCode.ok;
  }
  const io: CliIO = {
    log: cliLog({ verbose: Boolean(process.env.BUILDX_GUARD_DEBUG) }),
    stdout: (text) => process.stdout.write(text),
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    cwd: process.cwd(),
  };
  const run = commands[command];
  if (!run) {
    io.log.error(
      new InputError(
        'command',
        command,
        'Use build, verify, lint, audit or repair (see buildx-guard --help).',
      ).message,
    );
    return ExitCode.cannotCheck;
  }
  try {
    return await run(args, io);
  } catch (error) {
    io.log.error(describeError(error));
    return ExitCode.cannotCheck;
  }
}

// A crash must never read as a verdict: anything that escapes is "could not check".
function crash(error: unknown): void {
  process.stderr.write(`error: ${safeLogText(describeError(error))}\n`);
  process.exit(ExitCode.cannotCheck);
}
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, crash);
