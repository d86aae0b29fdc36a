// Repair mode's inputs (action inputs, or the CLI's flags mapped onto the same names), validated in one place.
import { InputError } from '../../core/errors';
import { InputSource, parseBoolean, parseChoice, parseList } from '../../core/inputs';
import { parseReference, Reference } from '../../core/registry/reference';
import { readExpectation, readInsecureRegistries } from '../../core/verification/inputs';
import { Expectation } from '../../core/verification/report';

export const REPAIRS = ['strip-attestations', 'heal'] as const;
export type Repair = (typeof REPAIRS)[number];

export interface RepairInputs {
  repair: Repair;
  refs: Reference[];
  /** Without it nothing is written: the plan is printed. */
  apply: boolean;
  deleteOrphans: boolean;
  /** heal: the repository that holds the missing digests. */
  from?: Reference;
  /** What heal verifies afterwards. */
  expectation: Expectation;
  insecureRegistries: string[];
  format: 'text' | 'json';
}

export function readRepairInputs(get: InputSource): RepairInputs {
  const repair = parseChoice(get, 'repair', REPAIRS, 'strip-attestations');
  const refs = parseList(get('images')).map((text) => parseReference(text, 'images'));
  if (refs.length === 0) {
    throw new InputError(
      'images',
      '',
      'List at least one image reference to repair, e.g. ghcr.io/owner/app:v1.',
    );
  }
  const untagged = refs.find((ref) => ref.tag === undefined && repair === 'strip-attestations');
  if (untagged) {
    throw new InputError(
      'images',
      untagged.raw,
      'strip-attestations re-points a tag: name one (name:tag, or name:tag@digest of the old index).',
    );
  }
  const deleteOrphans = parseBoolean(get, 'delete-orphans', false);
  if (deleteOrphans && repair !== 'strip-attestations') {
    throw new InputError(
      'delete-orphans',
      'true',
      'Only strip-attestations deletes orphans; heal never deletes.',
    );
  }
  return {
    repair,
    refs,
    apply: parseBoolean(get, 'apply', false),
    deleteOrphans,
    ...(repair === 'heal' ? { from: readSource(get('from')) } : {}),
    // A healed index is verified for what heal fixes; attestations are the owner's choice, so allowed by default.
    expectation: readExpectation((name) => (name === 'attestations' ? get(name) || 'allow' : get(name))),
    insecureRegistries: readInsecureRegistries(get),
    format: parseChoice(get, 'format', ['text', 'json'] as const, 'text'),
  };
}

function readSource(text: string): Reference {
  const fix = 'heal needs --from SOURCE: the repository (host/name) that holds the missing digests.';
  if (!text.trim()) throw new InputError('from', '', fix);
  const ref = parseReference(text, 'from');
  if (ref.tag || ref.digest)
    throw new InputError('from', text, `Name a repository without a tag or digest. ${fix}`);
  return ref;
}
