// Repair mode's two edges: the action (inputs, outputs, summary) and the CLI subcommand.
import * as core from '@actions/core';
import { ExitCode, InputError } from '../../core/errors';
import { setBoundedOutput } from '../../core/output/step-output';
import { parseFlags } from '../../core/inputs';
import { CliIO } from '../../core/output/cli-io';
import { Log } from '../../core/output/log';
import { safeJson } from '../../core/output/neutralize';
import { appendJobSummary } from '../../core/output/summary';
import { RegistryClient } from '../../core/registry/client';
import { limitsFromEnv } from '../../core/registry/limits';
import { MAX_IN_FLIGHT, verifyReferences } from '../../core/verification/index';
import { EXPECTATION_FLAGS, EXPECTATION_USAGE, expectationInputs } from '../../core/verification/inputs';
import { limiter } from '../../core/verification/limit';
import { heal } from './heal';
import { readRepairInputs, RepairInputs } from './inputs';
import { formatRepairText, repairFailed, RepairReport } from './report';
import { stripAttestations } from './strip';

export async function runRepair(
  inputs: RepairInputs,
  log: Log,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RepairReport> {
  const limits = limitsFromEnv(env);
  const client = new RegistryClient({ insecureRegistries: inputs.insecureRegistries, log, env, limits });
  const limit = limiter(MAX_IN_FLIGHT);
  const report: RepairReport = { repair: inputs.repair, apply: inputs.apply, results: [], actions: [] };
  try {
    if (inputs.repair === 'strip-attestations') {
      const stripped = await stripAttestations(client, inputs.refs, { ...inputs, limit, log });
      report.results = stripped.results;
      report.actions = stripped.actions;
    } else {
      for (const ref of inputs.refs) {
        report.results.push(
          await heal(client, ref, inputs.from!, { apply: inputs.apply, limit, log }, report.actions),
        );
      }
    }
  } finally {
    await client.close();
  }
  if (inputs.repair === 'heal' && inputs.apply) {
    const healed = inputs.refs.filter((_, i) => report.results[i].outcome !== 'refused');
    report.verify = await verifyReferences(
      healed,
      inputs.expectation,
      { insecureRegistries: inputs.insecureRegistries, log },
      env,
    );
  }
  return report;
}

export async function runRepairAction(log: Log): Promise<void> {
  const inputs = readRepairInputs((name) => core.getInput(name));
  const report = await runRepair(inputs, log);
  log.info(formatRepairText(report).trimEnd());
  setBoundedOutput('report', safeJson(report), log);
  // A backtick from a registry (a media type) must not close the code block.
  const text = formatRepairText(report).trimEnd().replace(/`/g, "'");
  appendJobSummary(['### buildx-guard repair', '', '```text', text, '```', ''].join('\n'));
  if (repairFailed(report)) throw new Error('The repair did not complete (see the report).');
}

const REPAIR_USAGE = `Usage: buildx-guard repair strip-attestations [--apply] [--delete-orphans] REF...
       buildx-guard repair heal --from SOURCE [--apply] REF...

strip-attestations  re-point each tag from its single-platform attestation index to the image child (the
                    same bytes, so the image digest is unchanged); refuses anything else
heal                copy an index's missing children from SOURCE (host/name), leaves first, the index
                    last, then verify REF

Options:
  --apply                           make the changes (without it: print what would be done)
  --delete-orphans                  strip-attestations: then delete the attestation manifests no tag reaches
  --from SOURCE                     heal: the repository holding the missing digests
${EXPECTATION_USAGE}
                                    (heal: what REF is verified against afterwards; attestations default allow)
  --format text|json                output on stdout (default text)
  -h, --help                        show this help

Exit codes: 0 done (or planned), 1 refused or not healed, 2 could not check or write.
`;

export async function repairCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseRepairArgs(args);
  if (parsed.help) {
    io.stdout(REPAIR_USAGE);
    return ExitCode.ok;
  }
  const inputs = readRepairInputs((name) => parsed.inputs[name] ?? '');
  const report = await runRepair(inputs, io.log);
  io.stdout(inputs.format === 'json' ? `${safeJson(report, 2)}\n` : formatRepairText(report));
  return repairFailed(report) ? ExitCode.violation : ExitCode.ok;
}

export function parseRepairArgs(args: string[]): { help: boolean; inputs: Record<string, string> } {
  const parsed = parseFlags('repair', args, {
    ...EXPECTATION_FLAGS,
    apply: { type: 'boolean' },
    'delete-orphans': { type: 'boolean' },
    from: { type: 'string' },
    format: { type: 'string' },
  });
  const [repair = '', ...refs] = parsed.positionals;
  if (!parsed.help && repair !== 'strip-attestations' && repair !== 'heal') {
    throw new InputError(
      'repair',
      repair,
      'Use buildx-guard repair strip-attestations REF... or repair heal --from SOURCE REF.',
    );
  }
  return {
    help: parsed.help,
    inputs: {
      ...expectationInputs(parsed.values),
      repair,
      images: refs.join('\n'),
      apply: parsed.flag('apply'),
      'delete-orphans': parsed.flag('delete-orphans'),
      from: parsed.text('from'),
      format: parsed.text('format'),
    },
  };
}
