import { DEFAULT_LINT_POLICY, LintPolicy } from '../../../src/modes/lint/config';
import { policyChanges, repositoryPath } from '../../../src/modes/lint/pr/policy';

const policy = (extra: Partial<LintPolicy>): LintPolicy => ({ ...DEFAULT_LINT_POLICY, ...extra });

describe('policyChanges', () => {
  it.each([
    ['nothing changed', policy({}), policy({}), []],
    [
      'a rule turned off',
      policy({}),
      policy({ rules: { 'single-platform-attestations': { enabled: false } } }),
      ['Rule `single-platform-attestations`: off (the base branch has its default severity).'],
    ],
    [
      'a severity lowered',
      policy({ rules: { 'manifest-merge-of-index': { enabled: true, severity: 'error' } } }),
      policy({ rules: { 'manifest-merge-of-index': { enabled: true, severity: 'note' } } }),
      ['Rule `manifest-merge-of-index`: severity note (the base branch has severity error).'],
    ],
    [
      'ignore paths added and dropped',
      policy({ ignorePaths: ['old/**'] }),
      policy({ ignorePaths: ['.github/**'] }),
      ['ignore-paths adds `.github/**`.', 'ignore-paths drops `old/**`.'],
    ],
    [
      'the attestation policy',
      policy({}),
      policy({ attestationPolicy: 'keep' }),
      ['attestation-policy: `"keep"` (the base branch has `"auto"`).'],
    ],
  ])('%s', (_, base, head, notes) => {
    expect(policyChanges(base, head)).toEqual(notes);
  });

  it('says when the PR’s policy file is not valid', () => {
    expect(policyChanges(policy({}), { invalid: 'Invalid key: "rulez".' })).toEqual([
      'The policy file of this pull request is not valid: Invalid key: "rulez".',
    ]);
  });
});

describe('repositoryPath', () => {
  it.each([
    ['.github/buildx-guard.yml', '.github/buildx-guard.yml'],
    ['./policies/../.github/p.yml', '.github/p.yml'],
    ['../outside.yml', undefined],
    ['/etc/policy.yml', undefined],
  ])('%s', (file, expected) => {
    expect(repositoryPath('/repo', file)).toBe(expected);
  });
});
