// Lint mode's two edges: the action (inputs, annotations, job summary, SARIF file, `findings` output, failing
// the step) and the CLI (`buildx-guard lint`, printing in a format, exit codes).
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import * as core from '@actions/core';
import { ExitCode, InputError } from '../../core/errors';
import { safeJson } from '../../core/output/neutralize';
import { setBoundedOutput } from '../../core/output/step-output';
import { LINT_USAGE, LintInputs, parseLintArgs, readLintInputs } from './inputs';
import { isPullRequestEvent } from './pr/event';
import { escapesRoot, writeContained } from './contained';
import { emitFindings } from './report/annotations';
import { CliIO } from '../../core/output/cli-io';
import { failsOn } from './report/fail-on';
import { formatFindings, jsonFinding } from './report/findings';
import { lintSummaryMarkdown } from './report/lint-summary';
import { Log } from '../../core/output/log';
import { describeCounts, plural } from './report/severity';
import { appendJobSummary } from '../../core/output/summary';
import { version } from '../../../package.json';
import { loadLintPolicy } from './config';
import { fixFiles } from './fix';
import { lintRepository } from './index';
import { readStream } from './source';
import { RULES } from './rules';

export async function runLintAction(log: Log): Promise<void> {
  keepMemoryFlat();
  const inputs = readLintInputs(core.getInput);
  const root = process.env.GITHUB_WORKSPACE || process.cwd();
  const pr = await pullRequestCheck(inputs, root, log);
  const policy =
    pr?.policy ?? loadLintPolicy(inputs.policyFile, { root, explicit: inputs.policyFileExplicit });
  const { findings: all, files } = await lintRepository({
    root,
    paths: inputs.workflows,
    policy,
    log,
    input: 'workflows',
  });
  // In a pull request: changed files first, only-changed and new-findings-only; elsewhere every finding.
  const focused = pr?.focus(all);
  const findings = focused?.reported ?? all;

  if (files === 0) log.warning(nothingFound(inputs.workflows));
  emitFindings(findings, log);
  log.info(`Checked ${plural(files, 'file')}: ${describeCounts(findings)}.`);
  appendJobSummary(lintSummaryMarkdown(findings, RULES));
  if (inputs.sarifFile) {
    const path = resolve(root, inputs.sarifFile);
    const escape = escapesRoot(root, dirname(path));
    if (escape)
      throw new InputError('sarif-file', inputs.sarifFile, `Refused: ${escape}. Name a path inside it.`);
    mkdirSync(dirname(path), { recursive: true });
    writeContained(root, inputs.sarifFile, formatFindings(findings, 'sarif', { rules: RULES, version }));
    log.info(`Wrote SARIF to ${inputs.sarifFile}.`);
  }
  setBoundedOutput('findings', safeJson({ findings: findings.map(jsonFinding) }), log);
  const failing = focused?.failing ?? findings;
  const failed = failsOn(failing, inputs.failOn);
  if (focused) await pr?.report(focused, failed);
  if (failed) {
    const which = focused && inputs.newFindingsOnly ? ' that the pull request adds or changes' : '';
    core.setFailed(`Lint: ${describeCounts(failing)}${which}; fail-on is ${inputs.failOn}.`);
  }
}

/**
 * The pull-request check, loaded with @actions/github only in pull-request events: outside them nothing of it
 * runs and no API is called, so other steps never pay for it.
 */
async function pullRequestCheck(inputs: LintInputs, root: string, log: Log) {
  if (!isPullRequestEvent()) {
    const asked = (['comment', 'only-changed', 'new-findings-only'] as const).filter(
      (name) => inputs[PR_INPUTS[name]],
    );
    // Not a warning: one workflow often runs the same step on push and on pull_request.
    if (asked.length > 0) {
      log.info(
        `${asked.join(', ')}: ${process.env.GITHUB_EVENT_NAME || 'this'} event is not a pull request, so ` +
          'the whole repository is linted and no comment is written.',
      );
    }
    return undefined;
  }
  const { startPullRequestCheck } = await import('./pr');
  return startPullRequestCheck({ inputs, root, log, token: core.getInput('github-token'), version });
}

const PR_INPUTS = {
  comment: 'comment',
  'only-changed': 'onlyChanged',
  'new-findings-only': 'newFindingsOnly',
} as const;

export async function lintCommand(args: string[], io: CliIO): Promise<number> {
  keepMemoryFlat();
  const options = parseLintArgs(args);
  if (options.help) {
    io.stdout(LINT_USAGE);
    return ExitCode.ok;
  }
  const root = io.cwd;
  const { inputs } = options;
  const fromStdin = options.paths.includes('-');
  if (fromStdin && (options.paths.length > 1 || options.fix)) {
    throw new InputError(
      'PATH',
      options.paths.join(' '),
      '`-` reads one workflow from standard input: give it alone, without other PATHs and without --fix.',
    );
  }
  const policy = loadLintPolicy(inputs.policyFile, { root, explicit: inputs.policyFileExplicit });
  const stdin = fromStdin ? await readStream(process.stdin) : undefined;
  const lint = () =>
    lintRepository({ root, paths: options.paths, policy, log: io.log, input: 'PATH', stdin });
  let result = await lint();
  if (result.files === 0) io.log.warning(nothingFound(options.paths));
  if (options.fix && result.fixes.size > 0) {
    const changed = fixFiles(result.fixes, root);
    io.log.info(`Fixed ${plural(changed, 'file')}; what is left:`);
    result = await lint();
  }
  io.stdout(formatFindings(result.findings, options.format, { rules: RULES, version, color: io.color }));
  return failsOn(result.findings, inputs.failOn) ? ExitCode.violation : ExitCode.ok;
}

/** Linting nothing passes, which a mistyped glob should not do silently. */
function nothingFound(paths: string[]): string {
  return paths.length === 0
    ? 'No workflow files found: none in .github/workflows, .gitea/workflows or .forgejo/workflows, and no action.yml.'
    : `No workflow files matched ${paths.join(', ')}.`;
}

/**
 * Linting allocates fast and keeps little (each file's document is garbage once its findings are out), which
 * makes V8 keep growing its young generation, so peak memory grows with the number of files. Holding it at its
 * initial size takes about a quarter off peak memory on ten thousand workflows, for about a tenth more CPU.
 */
function keepMemoryFlat(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
