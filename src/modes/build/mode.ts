// Build mode's two edges: the action (inputs, outputs, job summary) and `buildx-guard build` (flags, exit code).
import * as core from '@actions/core';
import { ExitCode } from '../../core/errors';
import { safeJson } from '../../core/output/neutralize';
import { setBoundedOutput } from '../../core/output/step-output';
import {
  BUILD_USAGE,
  checkLocalPaths,
  parseBuildCommandArgs,
  readBuildInputs,
  readGuardOptions,
  readRunnerEvent,
  UNTRIMMED_INPUTS,
} from './inputs';
import { CliIO } from '../../core/output/cli-io';
import { Log } from '../../core/output/log';
import { appendJobSummary } from '../../core/output/summary';
import { ImageReport } from '../../core/verification/report';
import { formatImageReport } from '../../core/verification/text';
import { execDocker } from './docker';
import { GuardedBuild, runGuardedBuild, VerifyImages } from './run';
import { specFromBuildxArgs, specFromInputs } from './spec';
import { buildSummaryMarkdown } from './summary';
import { SettingStyle, verificationFailure } from './verdict';

// The verification engine and its HTTP stack are read once the build has pushed, so that docker starts sooner.
const verifyImages: VerifyImages = async (...args) =>
  (await import('../../core/verification')).verifyImages(...args);

export async function runBuildAction(log: Log): Promise<void> {
  const get = (name: string) => core.getInput(name, { trimWhitespace: !UNTRIMMED_INPUTS.has(name) });
  const inputs = readBuildInputs(get, process.env, log);
  const guard = readGuardOptions(get);
  checkLocalPaths(inputs, process.cwd());

  const event = readRunnerEvent(process.env);
  const build = await runGuardedBuild((buildx) => specFromInputs(inputs, buildx, process.env, event), guard, {
    docker: execDocker({ out: process.stdout, err: process.stderr }),
    log,
    verifyImages,
  });

  core.setOutput('imageid', build.result.imageId);
  core.setOutput('digest', build.result.digest);
  setBoundedOutput('metadata', build.result.metadataText, log);
  core.setOutput('media-type', build.report?.images[0]?.mediaType || build.result.mediaType);
  if (build.report) setBoundedOutput('report', safeJson(build.report), log);
  appendJobSummary(buildSummaryMarkdown(build, inputs.platforms));

  const failure = failureMessage(build, 'action', (image) => formatImageReport(image));
  if (failure) throw new Error(failure);
  if (build.verification === 'passed') log.info(`The registry serves ${build.refs.join(', ')} as expected.`);
}

export async function buildCommand(args: string[], io: CliIO): Promise<number> {
  const command = parseBuildCommandArgs(args);
  if (command.help) {
    io.stdout(BUILD_USAGE);
    return ExitCode.ok;
  }
  const guard = readGuardOptions(command.get);
  // buildx's own output is a diagnostic here: stdout is kept for the verdict.
  const build = await runGuardedBuild(() => specFromBuildxArgs(command.buildxArgs, process.env), guard, {
    docker: execDocker({ out: process.stderr, err: process.stderr }),
    log: io.log,
    verifyImages,
  });
  for (const image of build.report?.images ?? [])
    io.stdout(`${formatImageReport(image, { color: io.color }).trimEnd()}\n`);
  // The tree is already on stdout: the message on stderr says what is wrong and how to fix it.
  const failure = failureMessage(build, 'cli', () => '');
  if (failure) {
    io.log.error(failure);
    return ExitCode.violation;
  }
  return ExitCode.ok;
}

function failureMessage(
  build: GuardedBuild,
  style: SettingStyle,
  render: (image: ImageReport) => string,
): string | undefined {
  const failed = build.report?.images.filter((image) => !image.ok) ?? [];
  if (failed.length === 0) return undefined;
  return verificationFailure(failed, build.expectation, build.plan, style, render);
}
