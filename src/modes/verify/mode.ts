// Verify mode's two edges: the action (inputs, outputs, annotations, summary) and the CLI subcommand.
import * as core from '@actions/core';
import { ExitCode } from '../../core/errors';
import { setBoundedOutput } from '../../core/output/step-output';
import { parseChoice, parseFlags } from '../../core/inputs';
import { readVerifyInputs, VerifyInputs } from './inputs';
import { CliIO } from '../../core/output/cli-io';
import { Log } from '../../core/output/log';
import { appendJobSummary } from '../../core/output/summary';
import { formatImageReport, verifySummaryMarkdown } from '../../core/verification/text';
import { verifyReferences } from '../../core/verification/index';
import { EXPECTATION_FLAGS, EXPECTATION_USAGE, expectationInputs } from '../../core/verification/inputs';
import { uncheckedImages, VerifyReport } from '../../core/verification/report';
import { safeJson } from '../../core/output/neutralize';

export async function runVerifyAction(log: Log): Promise<void> {
  const inputs = readVerifyInputs((name) => core.getInput(name));
  // A step that could not check fails with the reason and sets no verdict at all.
  const report = await run(inputs, log, false);
  setBoundedOutput('report', safeJson(report), log);
  core.setOutput('media-type', report.images[0]?.mediaType ?? '');
  for (const image of report.images) {
    log.info(formatImageReport(image).trimEnd());
    for (const problem of image.problems) {
      log.error(`${image.ref}: ${problem.message}`, { title: `buildx-guard: ${problem.code}` });
    }
  }
  appendJobSummary(verifySummaryMarkdown(report));
  const failed = report.images.filter((image) => !image.ok);
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} of ${report.images.length} image(s) do not meet the expectation: ${failed.map((image) => image.ref).join(', ')}.`,
    );
  }
}

const VERIFY_USAGE = `Usage: buildx-guard verify [options] REF...

Checks what a registry serves under each image reference.

Options:
${EXPECTATION_USAGE}
  --format text|json                output on stdout (default text)
  -h, --help                        show this help

Credentials come from $DOCKER_CONFIG/config.json (default ~/.docker/config.json).
Exit codes: 0 every image meets the expectation, 1 a violation, 2 could not check.
`;

export async function verifyCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseVerifyArgs(args);
  if (parsed.help) {
    io.stdout(VERIFY_USAGE);
    return ExitCode.ok;
  }
  const get = (name: string) => parsed.inputs[name] ?? '';
  const format = parseChoice(get, 'format', ['text', 'json'] as const, 'text');
  const report = await run(readVerifyInputs(get), io.log, true);
  // The JSON report holds every reference; text shows the verdicts on stdout and each reason not to have one
  // on stderr. One reference that could not be checked makes the whole run "could not check".
  const unchecked = uncheckedImages(report);
  io.stdout(
    format === 'json'
      ? `${safeJson(report, 2)}\n`
      : report.images
          .filter((image) => !unchecked.includes(image))
          .map((image) => formatImageReport(image, { color: io.color }))
          .join('\n'),
  );
  for (const image of unchecked) io.log.error(image.problems[0].message);
  if (unchecked.length > 0) return ExitCode.cannotCheck;
  return report.images.every((image) => image.ok) ? ExitCode.ok : ExitCode.violation;
}

/** The CLI's flags as the action's input names (plus `format`), so both share one validation. */
export function parseVerifyArgs(args: string[]): { help: boolean; inputs: Record<string, string> } {
  const parsed = parseFlags('verify', args, { ...EXPECTATION_FLAGS, format: { type: 'string' } });
  return {
    help: parsed.help,
    inputs: {
      // References are one per line, so a comma inside one is never split.
      images: parsed.positionals.join('\n'),
      ...expectationInputs(parsed.values),
      format: parsed.text('format'),
    },
  };
}

/** `keepGoing`: a reference that cannot be checked is a `could-not-check` entry, not an error (the CLI's report). */
function run(inputs: VerifyInputs, log: Log, keepGoing: boolean): Promise<VerifyReport> {
  return verifyReferences(inputs.images, inputs.expectation, {
    insecureRegistries: inputs.insecureRegistries,
    log,
    keepGoing,
  });
}
