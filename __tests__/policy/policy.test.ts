import { InputError } from '../../src/core/errors';
import { BuildxVersion, parseBuildxVersion } from '../../src/core/policy/buildx-version';
import { AttestationRequest, parseAttest, parseShorthand } from '../../src/core/policy/attestations';
import { isSinglePlatform, splitPlatforms } from '../../src/core/policy/platforms';
import { AttestationPolicy, planPolicy, policyStrips } from '../../src/core/policy/policy';

const v = (text: string): BuildxVersion => parseBuildxVersion(`github.com/docker/buildx ${text} abc`)!;
const provenanceOff = parseShorthand('provenance', 'false', 'provenance');
const sbomOff = parseShorthand('sbom', 'false', 'sbom');

describe('splitPlatforms / isSinglePlatform', () => {
  it.each([
    [[], [], true],
    [['linux/amd64'], ['linux/amd64'], true],
    [['linux/amd64,linux/arm64'], ['linux/amd64', 'linux/arm64'], false],
    [['linux/amd64\nlinux/arm64'], ['linux/amd64', 'linux/arm64'], false],
    [['linux/amd64', 'linux/arm64'], ['linux/amd64', 'linux/arm64'], false],
    [[' linux/amd64 , '], ['linux/amd64'], true],
    [['linux/amd64,linux/amd64'], ['linux/amd64', 'linux/amd64'], true],
    [[',\n'], [], true],
  ])('%j -> %j (single: %j)', (values, split, single) => {
    expect(splitPlatforms(values)).toEqual(split);
    expect(isSinglePlatform(values)).toBe(single);
  });
});

describe('policyStrips', () => {
  it.each<[AttestationPolicy, string[], boolean]>([
    ['auto', [], true],
    ['auto', ['linux/arm64'], true],
    ['auto', ['linux/amd64,linux/arm64'], false],
    ['strip', [], true],
    ['strip', ['linux/amd64,linux/arm64'], true],
    ['keep', [], false],
    ['keep', ['linux/amd64,linux/arm64'], false],
  ])('%s with %j -> %j', (policy, platforms, strips) => {
    expect(policyStrips(policy, platforms)).toBe(strips);
  });
});

describe('planPolicy', () => {
  const STRIP_ENV = { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' };
  it.each<
    [string, AttestationPolicy, string[], BuildxVersion | undefined, AttestationRequest[], string[], object]
  >([
    [
      'auto, single platform',
      'auto',
      [],
      v('v0.19.3'),
      [],
      ['--provenance=false', '--sbom=false'],
      STRIP_ENV,
    ],
    [
      'auto, one explicit platform',
      'auto',
      ['linux/arm64'],
      v('v0.10.0'),
      [],
      ['--provenance=false', '--sbom=false'],
      STRIP_ENV,
    ],
    ['auto, multi-platform', 'auto', ['linux/amd64,linux/arm64'], v('v0.19.3'), [], [], {}],
    [
      'strip, multi-platform',
      'strip',
      ['linux/amd64', 'linux/arm64'],
      v('v0.19.3'),
      [],
      ['--provenance=false', '--sbom=false'],
      STRIP_ENV,
    ],
    ['keep, single platform', 'keep', [], v('v0.19.3'), [], [], {}],
    ['buildx 0.9 gets no flags', 'strip', [], v('v0.9.1'), [], [], {}],
    ['distro buildx 0.9', 'auto', [], v('0.9.1+azure-2'), [], [], {}],
    [
      'unknown version: assume current',
      'auto',
      [],
      undefined,
      [],
      ['--provenance=false', '--sbom=false'],
      STRIP_ENV,
    ],
    [
      'user already disabled provenance',
      'auto',
      [],
      v('v0.19.3'),
      [provenanceOff],
      ['--sbom=false'],
      STRIP_ENV,
    ],
    ['user disabled both', 'strip', [], v('v0.19.3'), [provenanceOff, sbomOff], [], STRIP_ENV],
    [
      'attest type=provenance,disabled=true counts as disabled',
      'auto',
      [],
      v('v0.19.3'),
      [parseAttest('type=provenance,disabled=true', '--attest')],
      ['--sbom=false'],
      STRIP_ENV,
    ],
    [
      'other attestation types are not ours',
      'auto',
      [],
      v('v0.19.3'),
      [parseAttest('type=custom', 'attests')],
      ['--provenance=false', '--sbom=false'],
      STRIP_ENV,
    ],
  ])('%s', (_name, policy, platforms, buildx, requests, flags, env) => {
    const plan = planPolicy({ policy, platforms, buildx, requests });
    expect(plan.flags).toEqual(flags);
    expect(plan.env).toEqual(env);
    expect(plan.strips).toBe(flags.length > 0 || Object.keys(env).length > 0);
  });

  it.each<[string, AttestationPolicy, string[], AttestationRequest, string]>([
    [
      'provenance: true, auto, single',
      'auto',
      [],
      parseShorthand('provenance', 'true', 'provenance'),
      'provenance',
    ],
    [
      'sbom: true, strip, multi',
      'strip',
      ['linux/amd64,linux/arm64'],
      parseShorthand('sbom', 'true', 'sbom'),
      'sbom',
    ],
    [
      'provenance: mode=max',
      'auto',
      ['linux/amd64'],
      parseShorthand('provenance', 'mode=max', 'provenance'),
      'provenance',
    ],
    ['attests type=sbom', 'auto', [], parseAttest('type=sbom,generator=image', 'attests'), 'attests'],
    [
      '--attest type=provenance',
      'strip',
      [],
      parseAttest('type=provenance,mode=max', '--attest'),
      '--attest',
    ],
    ['--sbom=true', 'auto', [], parseShorthand('sbom', 'true', '--sbom'), '--sbom'],
  ])('conflict: %s names the input and the policy', (_name, policy, platforms, request, input) => {
    const run = () => planPolicy({ policy, platforms, buildx: v('v0.19.3'), requests: [request] });
    expect(run).toThrow(InputError);
    expect(run).toThrow(`Invalid ${input}: ${JSON.stringify(request.value)}.`);
    expect(run).toThrow(`attestation-policy "${policy}" strips attestations`);
  });

  it('names the CLI flag of the policy when told to', () => {
    const request = parseShorthand('provenance', 'true', '--provenance');
    expect(() =>
      planPolicy({
        policy: 'auto',
        platforms: [],
        buildx: v('v0.19.3'),
        requests: [request],
        policyName: '--attestation-policy',
      }),
    ).toThrow('--attestation-policy "auto"');
  });

  it.each<[AttestationPolicy, string[]]>([
    ['keep', []],
    ['auto', ['linux/amd64,linux/arm64']],
  ])('no conflict when %s leaves attestations alone (%j)', (policy, platforms) => {
    const request = parseShorthand('provenance', 'mode=max', 'provenance');
    expect(planPolicy({ policy, platforms, buildx: v('v0.19.3'), requests: [request] }).flags).toEqual([]);
  });

  it('buildx 0.9 never conflicts: it has no attestations', () => {
    const request = parseShorthand('provenance', 'true', 'provenance');
    const plan = planPolicy({ policy: 'strip', platforms: [], buildx: v('v0.9.1'), requests: [request] });
    expect(plan.strips).toBe(false);
    expect(plan.description).toMatch(/predates attestations/);
  });
});

describe('attestation requests', () => {
  it.each([
    ['type=provenance', 'provenance', true],
    ['type=provenance,disabled=true', 'provenance', false],
    ['type=provenance,disabled=false,mode=max', 'provenance', true],
    ['type=sbom,enabled=false', 'sbom', false],
    ['type=sbom,false', 'sbom', false],
    ['type=sbom,true', 'sbom', true],
    [' type=sbom , generator=image ', 'sbom', true],
    ['type=sbom,"generator=img:1,x"', 'sbom', true],
  ])('parseAttest(%j) -> %s enabled=%j', (value, type, enabled) => {
    expect(parseAttest(value, 'attests')).toMatchObject({ type, enabled, source: 'attests', value });
  });

  it.each([
    ['mode=max', 'attests'],
    ['type=sbom,disabled=maybe', 'attests'],
  ])('parseAttest(%j) is an InputError', (value, source) => {
    expect(() => parseAttest(value, source)).toThrow(InputError);
  });

  it.each([
    ['true', true],
    ['false', false],
    ['0', false],
    ['True', true],
    ['mode=max', true],
    ['mode=max,disabled=true', false],
  ])('parseShorthand(provenance, %j) -> enabled %j', (value, enabled) => {
    expect(parseShorthand('provenance', value, 'provenance')).toEqual({
      type: 'provenance',
      enabled,
      source: 'provenance',
      value,
    });
  });
});
