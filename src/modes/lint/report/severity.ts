import { Finding, Severity } from '../finding';

/** Severities from the most to the least severe: the order of summaries, counts and fail-on. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

const RANK: Record<Severity, number> = { error: 3, warning: 2, note: 1 };

export function severityRank(severity: Severity): number {
  return RANK[severity];
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "3 findings (2 errors, 1 warning)", or "no findings": zero counts are left out. */
export function describeCounts(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings';
  const counts = countBySeverity(findings);
  const parts = SEVERITIES.filter((severity) => counts[severity] > 0).map((severity) =>
    plural(counts[severity], severity),
  );
  return `${plural(findings.length, 'finding')} (${parts.join(', ')})`;
}
