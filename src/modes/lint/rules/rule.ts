// What a rule is given and how it reports. Most rules look at one file's build model; a rule that matches steps
// across files (a merge in one workflow of images another one pushes) looks at the whole repository's model
// once every file has been read.
import { AttestationPolicy } from '../config';
import { Finding, RuleMeta } from '../finding';
import { Build, BuildStep, Position } from '../model';
import { isUnknown, Tri, Unknown } from '../tri';

export interface RuleContext {
  /** The attestation policy the linted builds are meant to follow (the policy file's attestation-policy). */
  attestationPolicy: AttestationPolicy;
}

/** One linted file: its path relative to the root, why it could not be parsed, or its build model. */
export interface LintedFile {
  path: string;
  /** Why it was not read: the YAML parser's complaint, or (`unread`) why it was not even parsed. */
  parseError?: { at: Position; message: string; unread?: boolean };
  steps: BuildStep[];
}

export interface Rule {
  meta: RuleMeta;
  checkFile?(file: LintedFile, context: RuleContext): Finding[];
  /** Runs once, after every file, over the steps of all of them. */
  checkRepository?(steps: readonly BuildStep[], context: RuleContext): Finding[];
}

export function finding(meta: RuleMeta, file: string, at: Position, message: string): Finding {
  return { file, line: at.line, column: at.column, rule: meta.id, severity: meta.defaultSeverity, message };
}

/**
 * The finding for a three-valued verdict: the rule's own severity when it holds, a note naming what it depends
 * on when that cannot be resolved, nothing when it does not hold.
 */
export function verdictFinding(
  meta: RuleMeta,
  verdict: Tri,
  file: string,
  at: Position,
  messages: { holds: () => string; depends: (on: Unknown) => string },
): Finding[] {
  if (verdict === false) return [];
  if (isUnknown(verdict))
    return [{ ...finding(meta, file, at, messages.depends(verdict)), severity: 'note' }];
  return [finding(meta, file, at, messages.holds())];
}

/** The pushes the attestation policy wants as plain manifests: single-platform ones, or every one with `strip`. */
export function plainByPolicy(build: Build, policy: AttestationPolicy): Tri {
  return policy === 'strip' ? true : build.platforms.single;
}

/** "`${{ a }}` and `${{ b }}`". */
export function listed(dependsOn: Unknown): string {
  const items = [...dependsOn.dependsOn];
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
