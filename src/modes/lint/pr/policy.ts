// A pull request cannot switch its own check off: in PR events the policy file is read as the base branch has
// it, and what the PR changes in it is listed in the comment, to take effect once merged.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { LintPolicy, RULE_IDS, RuleSetting } from '../config';

/** The policy file's path inside the repository (forward slashes), or undefined when it lies outside it. */
export function repositoryPath(root: string, policyFile: string): string | undefined {
  if (isAbsolute(policyFile)) return undefined;
  const inside = relative(resolve(root), resolve(root, policyFile));
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) return undefined;
  return inside.split(sep).join('/');
}

/**
 * What the head's policy changes against the base's, one sentence each (values from the PR in backticks);
 * `head` is the reason when the PR's policy file is not valid.
 */
export function policyChanges(base: LintPolicy, head: LintPolicy | { invalid: string }): string[] {
  if ('invalid' in head) return [`The policy file of this pull request is not valid: ${head.invalid}`];
  const notes: string[] = [];
  for (const id of RULE_IDS) {
    const before = ruleState(base.rules[id]);
    const after = ruleState(head.rules[id]);
    if (before !== after) notes.push(`Rule \`${id}\`: ${after} (the base branch has ${before}).`);
  }
  for (const glob of head.ignorePaths.filter((glob) => !base.ignorePaths.includes(glob)))
    notes.push(`ignore-paths adds \`${glob}\`.`);
  for (const glob of base.ignorePaths.filter((glob) => !head.ignorePaths.includes(glob)))
    notes.push(`ignore-paths drops \`${glob}\`.`);
  // Any other key (attestation-policy, and whatever the policy file learns later), by its file name.
  const keys = new Set([...Object.keys(base), ...Object.keys(head)]);
  for (const key of keys) {
    if (key === 'rules' || key === 'ignorePaths') continue;
    const before = JSON.stringify((base as unknown as Record<string, unknown>)[key] ?? null);
    const after = JSON.stringify((head as unknown as Record<string, unknown>)[key] ?? null);
    if (before !== after) notes.push(`${kebab(key)}: \`${after}\` (the base branch has \`${before}\`).`);
  }
  return notes;
}

function ruleState(setting: RuleSetting | undefined): string {
  if (!setting) return 'its default severity';
  if (!setting.enabled) return 'off';
  return setting.severity ? `severity ${setting.severity}` : 'its default severity';
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`);
}
