// `attestations: require` in build mode: verified after the push, refused before the build when the policy strips them.
import { parseBuildxVersion } from '../../src/core/policy/buildx-version';
import { expectationAfterPush } from '../../src/core/policy/expectation';
import { AttestationPolicy, planPolicy } from '../../src/core/policy/policy';
import { parseBuildCommandArgs, readGuardOptions } from '../../src/modes/build/inputs';

const current = parseBuildxVersion('github.com/docker/buildx v0.19.3 abc');

function after(policy: AttestationPolicy, platforms: string[], attestations: 'auto' | 'require') {
  const plan = planPolicy({ policy, platforms, buildx: current, requests: [] });
  return expectationAfterPush({
    plan,
    platforms,
    buildx: current,
    requests: [],
    expect: 'auto',
    mediaTypes: 'any',
    verifyBlobs: false,
    attestations,
  });
}

describe('attestations require in build mode', () => {
  it.each<[AttestationPolicy, string[], string]>([
    ['keep', ['linux/amd64'], 'require'],
    ['auto', ['linux/amd64', 'linux/arm64'], 'require'],
    ['keep', ['linux/amd64', 'linux/arm64'], 'require'],
  ])('policy %s on %j expects %s', (policy, platforms, expected) => {
    expect(after(policy, platforms, 'require').attestations).toBe(expected);
  });

  it.each<[AttestationPolicy, string[]]>([
    ['auto', ['linux/amd64']],
    ['strip', ['linux/amd64', 'linux/arm64']],
  ])('policy %s on %j is refused before the build', (policy, platforms) => {
    expect(() => after(policy, platforms, 'require')).toThrow(
      'Invalid attestations: "require". The attestation policy (it strips them from this build) leaves no attestation to require: use attestation-policy keep',
    );
  });

  it('auto keeps what the policy says', () => {
    expect(after('auto', ['linux/amd64'], 'auto').attestations).toBe('deny');
    expect(after('keep', ['linux/amd64'], 'auto').attestations).toBe('allow');
  });

  it('reads the input and the flag', () => {
    expect(readGuardOptions((name) => (name === 'attestations' ? 'require' : '')).attestations).toBe(
      'require',
    );
    expect(readGuardOptions(() => '').attestations).toBe('auto');
    expect(() => readGuardOptions((name) => (name === 'attestations' ? 'deny' : ''))).toThrow(
      'Invalid attestations: "deny". Use one of: auto, require.',
    );
    const cli = parseBuildCommandArgs(['--attestations', 'require', '--', '.']);
    expect(cli.get('attestations')).toBe('require');
  });
});
