import { Finding, Severity } from '../finding';
import { severityRank } from './severity';

/** The lowest severity that fails the step (`fail-on` input, `--fail-on` flag), or never. */
export type FailOn = Severity | 'never';

export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'note', 'never'];

/** True when a finding is at or above `failOn` (error > warning > note). */
export function failsOn(findings: readonly Finding[], failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const threshold = severityRank(failOn);
  return findings.some((finding) => severityRank(finding.severity) >= threshold);
}
