// Audit mode's two edges: the action (inputs, outputs, keep-set file, summary) and the CLI subcommand.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { ExitCode, InputError } from '../../core/errors';
import { setBoundedOutput } from '../../core/output/step-output';
import { parseFlags } from '../../core/inputs';
import { CliIO } from '../../core/output/cli-io';
import { Log } from '../../core/output/log';
import { safeJson } from '../../core/output/neutralize';
import { appendJobSummary } from '../../core/output/summary';
import { EXPECTATION_FLAGS, EXPECTATION_USAGE, expectationInputs } from '../../core/verification/inputs';
import { runAudit } from './audit';
import { readAuditInputs } from './inputs';
import { auditSummaryMarkdown, formatAuditText } from './report';

export async function runAuditAction(log: Log): Promise<void> {
  const inputs = readAuditInputs((name) => core.getInput(name));
  const { report, keepSet } = await runAudit(inputs, log);
  // The keep-set is always written in the action: a cleanup job later in the workflow reads it.
  const keepSetPath =
    inputs.keepSet || join(process.env.RUNNER_TEMP || tmpdir(), 'buildx-guard-keep-set.txt');
  writeKeepSet(keepSetPath, keepSet);
  log.info(formatAuditText(report).trimEnd());
  log.info(`Keep-set: ${keepSet.length} digests in ${keepSetPath}.`);
  setBoundedOutput('report', safeJson(report), log);
  core.setOutput('keep-set', keepSetPath);
  appendJobSummary(auditSummaryMarkdown(report, keepSetPath));
  const failing = report.repositories.reduce((n, repository) => n + repository.totals.failing, 0);
  if (failing > 0) throw new Error(`${failing} tag(s) do not meet the expectation (see the audit report).`);
}

const AUDIT_USAGE = `Usage: buildx-guard audit [options] REPOSITORY...

Lists every tag of each repository (host/name; host/name:tag audits one tag), verifies each, and totals
the attestation manifests, their bytes and the dangling indexes.

Options:
${EXPECTATION_USAGE}
  --catalog HOST                    also audit every repository HOST lists in /v2/_catalog (repeatable)
  --keep-set FILE                   write every digest a tag reaches, one per line, sorted: what a cleanup
                                    must not delete
  --format text|json                output on stdout (default text)
  -h, --help                        show this help

Progress goes to stderr. Exit codes: 0 every tag meets the expectation, 1 a violation, 2 could not check.
`;

export async function auditCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseAuditArgs(args);
  if (parsed.help) {
    io.stdout(AUDIT_USAGE);
    return ExitCode.ok;
  }
  const inputs = readAuditInputs((name) => parsed.inputs[name] ?? '');
  const { report, keepSet } = await runAudit(inputs, io.log);
  if (inputs.keepSet) {
    writeKeepSet(inputs.keepSet, keepSet);
    io.log.info(`Keep-set: ${keepSet.length} digests in ${inputs.keepSet}.`);
  }
  io.stdout(inputs.format === 'json' ? `${safeJson(report, 2)}\n` : formatAuditText(report));
  const ok = report.repositories.every((repository) => repository.totals.failing === 0);
  return ok ? ExitCode.ok : ExitCode.violation;
}

function writeKeepSet(path: string, digests: string[]): void {
  try {
    writeFileSync(path, digests.map((digest) => `${digest}\n`).join(''));
  } catch (error) {
    throw new InputError(
      'keep-set',
      path,
      `It cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'}): name a file in a directory that exists.`,
    );
  }
}

export function parseAuditArgs(args: string[]): { help: boolean; inputs: Record<string, string> } {
  const parsed = parseFlags('audit', args, {
    ...EXPECTATION_FLAGS,
    catalog: { type: 'string', multiple: true },
    'keep-set': { type: 'string' },
    format: { type: 'string' },
  });
  return {
    help: parsed.help,
    inputs: {
      ...expectationInputs(parsed.values),
      repositories: parsed.positionals.join('\n'),
      catalog: ((parsed.values.catalog as string[] | undefined) ?? []).join('\n'),
      'keep-set': parsed.text('keep-set'),
      format: parsed.text('format'),
    },
  };
}
