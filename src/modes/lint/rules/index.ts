import { RuleMeta } from '../finding';
import { attestationsExplicitlyEnabled } from './attestations-explicitly-enabled';
import { manifestMergeOfIndex } from './manifest-merge-of-index';
import { parseError } from './parse-error';
import { Rule } from './rule';
import { singlePlatformAttestations } from './single-platform-attestations';

export const LINT_RULES: readonly Rule[] = [
  singlePlatformAttestations,
  manifestMergeOfIndex,
  attestationsExplicitlyEnabled,
  parseError,
];

export const RULES: RuleMeta[] = LINT_RULES.map((rule) => rule.meta);
