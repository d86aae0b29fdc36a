// The repair report: what each reference came to, and every mutation (done or planned) by digest.
import { inline } from '../../core/output/neutralize';
import { VerifyReport } from '../../core/verification/report';

export type ActionKind = 'put-manifest' | 'delete-manifest' | 'mount-blob' | 'copy-blob';
export type ActionStatus = 'planned' | 'done' | 'unsupported' | 'not-found' | 'kept';

export interface RepairAction {
  action: ActionKind;
  /** host/name the action writes to. */
  repository: string;
  digest: string;
  /** The tag or digest a manifest is put under. */
  reference?: string;
  mediaType?: string;
  /** For copies and mounts: where the bytes come from. */
  from?: string;
  status: ActionStatus;
}

export type Outcome = 'repaired' | 'planned' | 'nothing-to-do' | 'refused';

export interface RepairResult {
  ref: string;
  outcome: Outcome;
  /** Why it was refused, or what there is to know (an old index to resume orphan deletion from). */
  reason?: string;
}

export interface RepairReport {
  repair: string;
  apply: boolean;
  results: RepairResult[];
  actions: RepairAction[];
  /** heal: the verification of each healed reference afterwards. */
  verify?: VerifyReport;
}

export function repairFailed(report: RepairReport): boolean {
  return (
    report.results.some((result) => result.outcome === 'refused') ||
    (report.verify?.images.some((image) => !image.ok) ?? false)
  );
}

/** One line per action (what was, or would be, written), then one per reference. */
export function formatRepairText(report: RepairReport): string {
  const verb = report.apply ? '' : 'would ';
  const lines = report.actions.map((action) => {
    const where = `${action.repository}${action.reference && action.reference !== action.digest ? `:${action.reference}` : ''}`;
    const what = {
      'put-manifest': `${verb}put ${action.digest} (${action.mediaType ?? ''}) at ${where}`,
      'delete-manifest': `${verb}delete ${action.digest} from ${where}`,
      'mount-blob': `${verb}mount ${action.digest} into ${where} from ${action.from ?? ''}`,
      'copy-blob': `${verb}copy ${action.digest} to ${where} from ${action.from ?? ''}`,
    }[action.action];
    return `${action.status === 'planned' || action.status === 'done' ? '' : `[${action.status}] `}${what}`;
  });
  for (const result of report.results) {
    lines.push(`${result.outcome.toUpperCase()} ${result.ref}${result.reason ? `: ${result.reason}` : ''}`);
  }
  return `${lines.map(inline).join('\n')}\n`;
}
