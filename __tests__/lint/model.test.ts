import {
  AttestationRequest,
  attestationsOf,
  indexReasons,
  outputEffect,
  platformsOf,
  ProvenanceDefault,
  pushOf,
} from '../../src/modes/lint/model';
import { unknown } from '../../src/modes/lint/tri';
import { literal, Value } from '../../src/modes/lint/value';
import { aBuild } from './support';

/** A value whose `${{ … }}` parts are unresolved. */
const written = (text: string): Value => ({ text, unresolved: text.match(/\$\{\{[^}]*\}\}/g) ?? [] });
const at = { line: 1, column: 1 };
const request = (type: string | undefined, text: string): AttestationRequest => ({
  type,
  value: written(text),
  at,
  text,
});

describe('attestationsOf', () => {
  it.each<[string, AttestationRequest[], ProvenanceDefault, Value | undefined, unknown, unknown]>([
    ['buildx adds provenance by default', [], 'buildx', undefined, true, false],
    ['BUILDX_NO_DEFAULT_ATTESTATIONS=1 turns the default off', [], 'buildx', literal('1'), false, false],
    ['BUILDX_NO_DEFAULT_ATTESTATIONS=false keeps it', [], 'buildx', literal('false'), true, false],
    [
      'an unresolved BUILDX_NO_DEFAULT_ATTESTATIONS',
      [],
      'buildx',
      written('${{ vars.X }}'),
      unknown('`${{ vars.X }}`'),
      false,
    ],
    ['an action that passes --provenance=false', [], 'none', undefined, false, false],
    ['an action that forces provenance ignores the variable', [], 'forced', literal('1'), true, false],
    ['--provenance=false', [request('provenance', 'false')], 'buildx', undefined, false, false],
    ['--provenance=0', [request('provenance', '0')], 'buildx', undefined, false, false],
    ['--provenance=mode=max', [request('provenance', 'mode=max')], 'buildx', literal('1'), true, false],
    [
      '--attest type=provenance,disabled=true',
      [request('provenance', 'type=provenance,disabled=true')],
      'buildx',
      undefined,
      false,
      false,
    ],
    ['--sbom=true', [request('sbom', 'true')], 'buildx', literal('1'), false, true],
    [
      'the last request of a type wins',
      [request('provenance', 'false'), request('provenance', 'true')],
      'buildx',
      undefined,
      true,
      false,
    ],
    [
      'a request whose type is an expression could be either',
      [request(undefined, '${{ inputs.attest }}')],
      'buildx',
      undefined,
      unknown('`${{ inputs.attest }}`'),
      unknown('`${{ inputs.attest }}`'),
    ],
    [
      'a provenance value in an expression',
      [request('provenance', '${{ inputs.p }}')],
      'buildx',
      undefined,
      unknown('`${{ inputs.p }}`'),
      false,
    ],
  ])('%s', (_name, requests, provenanceDefault, noDefault, provenance, sbom) => {
    const result = attestationsOf(requests, provenanceDefault, noDefault);
    expect(result.provenance.on).toEqual(provenance);
    expect(result.sbom.on).toEqual(sbom);
  });

  it('remembers where the user asked', () => {
    const result = attestationsOf([request('provenance', 'mode=max')], 'buildx', undefined);
    expect(result.provenance.requested).toEqual({ at, text: 'mode=max' });
    expect(result.sbom.requested).toBeUndefined();
  });
});

describe('outputEffect', () => {
  it.each([
    ['type=registry', true, false, []],
    ['type=image,push=true', true, false, []],
    ['type=image', false, false, []],
    ['type=image,push=false', false, false, []],
    ['type=docker', false, false, []],
    ['type=oci,dest=out.tar', false, false, []],
    ['./out', false, false, []],
    ['push=true', false, false, []],
    [
      'type=image,name=ghcr.io/a/b,push-by-digest=true,name-canonical=true,push=true',
      true,
      true,
      ['ghcr.io/a/b'],
    ],
    ['type=image,"name=a/b:1,a/b:2",push=true', true, false, ['a/b:1', 'a/b:2']],
    ['type=image,name=${{ env.X, 1 }},push=true', true, false, ['${{ env.X, 1 }}']],
  ])('%s', (output, push, pushByDigest, names) => {
    const effect = outputEffect(written(output));
    expect(effect.push).toBe(push);
    expect(effect.pushByDigest).toBe(pushByDigest);
    expect(effect.names.map((name) => name.text)).toEqual(names);
  });

  it('is unknown when the type is in an expression', () => {
    expect(outputEffect(written('${{ inputs.output }}')).push).toEqual(unknown('`${{ inputs.output }}`'));
    expect(outputEffect(written('type=${{ inputs.type }}')).push).toEqual(unknown('`${{ inputs.type }}`'));
  });

  it('pushes when the push flag or any output does', () => {
    expect(pushOf(false, [literal('type=docker'), literal('type=registry')]).push).toBe(true);
    expect(pushOf(true, []).push).toBe(true);
    expect(pushOf(false, []).push).toBe(false);
  });
});

describe('platformsOf', () => {
  const matrix = new Map([
    ['platform', ['linux/amd64', 'linux/arm64']],
    ['pair', ['linux/amd64,linux/arm64', 'linux/riscv64,linux/s390x']],
    ['mixed', ['linux/amd64', 'linux/amd64,linux/arm64']],
  ]);
  it.each<[string[], unknown, string]>([
    [[], true, "the builder's default platform"],
    [['linux/amd64'], true, 'linux/amd64'],
    [['linux/amd64', 'linux/amd64'], true, 'linux/amd64, linux/amd64'],
    [['linux/amd64,linux/arm64'], false, 'linux/amd64, linux/arm64'],
    [['linux/amd64', 'linux/arm64'], false, 'linux/amd64, linux/arm64'],
    [['${{ matrix.platform }}'], true, '`${{ matrix.platform }}`: linux/amd64, linux/arm64'],
    [
      ['${{ matrix.pair }}'],
      false,
      '`${{ matrix.pair }}`: linux/amd64,linux/arm64, linux/riscv64,linux/s390x',
    ],
    [
      ['${{ matrix.mixed }}'],
      unknown('`${{ matrix.mixed }}`'),
      '`${{ matrix.mixed }}`: linux/amd64, linux/amd64,linux/arm64',
    ],
    [['${{ inputs.platforms }}'], unknown('`${{ inputs.platforms }}`'), '`${{ inputs.platforms }}`'],
    [['linux/amd64,linux/arm64,${{ inputs.more }}'], false, 'linux/amd64, linux/arm64, `${{ inputs.more }}`'],
    [
      ['linux/amd64,${{ inputs.more }}'],
      unknown('`${{ inputs.more }}`'),
      'linux/amd64, `${{ inputs.more }}`',
    ],
  ])('%j', (values, single, description) => {
    const platforms = platformsOf(values.map(written), matrix);
    expect(platforms.single).toEqual(single);
    expect(platforms.description).toBe(description);
  });
});

describe('indexReasons', () => {
  it.each([
    ['a single-platform push with provenance', aBuild({}), true],
    ['a single-platform push without attestations', aBuild({ provenance: { on: false } }), false],
    [
      'a multi-platform push without attestations',
      aBuild({ provenance: { on: false }, platforms: { single: false, description: 'a, b' } }),
      true,
    ],
    ['a push by digest', aBuild({ pushByDigest: true }), false],
    ['no push', aBuild({ push: false }), false],
    ['an SBOM', aBuild({ provenance: { on: false }, sbom: { on: true } }), true],
  ])('%s', (_name, build, index) => {
    expect(indexReasons(build).index).toBe(index);
  });
});
