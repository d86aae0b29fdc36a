import { ActionInput, actionRef, actionStep, UsesStep } from '../../src/modes/lint/actions';
import { Build } from '../../src/modes/lint/model';
import { unknown } from '../../src/modes/lint/tri';
import { EMPTY_ENV, envScope, literal, NO_MATRIX, resolveExpressions } from '../../src/modes/lint/value';

/** A `uses:` step; `with` values are written as in YAML, `${{ env.X }}` resolved through `env`. */
function step(uses: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}): UsesStep {
  const scope = envScope(
    new Map(Object.entries(env).map(([name, value]) => [name, literal(value)])),
    EMPTY_ENV,
  );
  const entries = Object.entries(inputs).map(([key, value], index): [string, ActionInput] => [
    key,
    {
      value: resolveExpressions(value, scope),
      at: { line: 20 + index, column: 11 },
      text: `${key}: ${value}`,
    },
  ]);
  return {
    file: 'w.yml',
    uses,
    at: { line: 18, column: 15 },
    inputs: new Map(entries),
    env: scope,
    matrix: NO_MATRIX,
    provenanceEdit: { offset: 100, insert: '\n          provenance: false' },
  };
}

const build = (uses: string, inputs?: Record<string, string>, env?: Record<string, string>): Build => {
  const result = actionStep(step(uses, inputs, env));
  if (!result) throw new Error(`${uses} is not a build`);
  return result;
};

describe('actionRef', () => {
  it.each([
    ['docker/build-push-action@v6', { name: 'docker/build-push-action', version: [6, undefined, undefined] }],
    ['docker/build-push-action@v3.3.1', { name: 'docker/build-push-action', version: [3, 3, 1] }],
    ['Docker/Build-Push-Action@main', { name: 'docker/build-push-action', version: undefined }],
    [
      'https://github.com/docker/build-push-action@v5',
      { name: 'docker/build-push-action', version: [5, undefined, undefined] },
    ],
    [
      'https://data.forgejo.org/docker/bake-action@v4.1',
      { name: 'docker/bake-action', version: [4, 1, undefined] },
    ],
    ['acme/buildx-guard@v1', { name: 'buildx-guard', version: [1, undefined, undefined] }],
    ['docker/build-push-action/sub@v6', undefined],
    ['actions/checkout@v4', undefined],
    ['./local-action', undefined],
    ['docker://alpine:3', undefined],
  ])('%s', (uses, expected) => {
    expect(actionRef(uses)).toEqual(expected);
  });
});

describe('docker/build-push-action', () => {
  it.each<[string, Record<string, string>, Record<string, string>, Build['provenance']['on']]>([
    ['v2: buildx defaults', { push: 'true' }, {}, true],
    ['v2 ignores provenance: false', { push: 'true', provenance: 'false' }, {}, true],
    [
      'v2 honours BUILDX_NO_DEFAULT_ATTESTATIONS',
      { push: 'true' },
      { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' },
      false,
    ],
    ['v3.2.0: buildx defaults', { push: 'true' }, {}, true],
    [
      'v3.3.0: provenance passed by the action',
      { push: 'true' },
      { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' },
      true,
    ],
    ['v3.3.1: --provenance=false by default', { push: 'true' }, {}, false],
    ['v3: 3.3.1', { push: 'true' }, {}, false],
    ['v3 with provenance: true', { push: 'true', provenance: 'true' }, {}, true],
    ['v4: on', { push: 'true' }, {}, true],
    ['v6: on', { push: 'true' }, {}, true],
    ['v6: provenance: false', { push: 'true', provenance: 'false' }, {}, false],
    ['v6: provenance: mode=min', { push: 'true', provenance: 'mode=min' }, {}, true],
    [
      'v6: attests disabling provenance',
      { push: 'true', attests: 'type=provenance,disabled=true' },
      {},
      false,
    ],
    [
      'v6: provenance input wins over attests',
      { push: 'true', attests: 'type=provenance,mode=max', provenance: 'false' },
      {},
      false,
    ],
    ['v6: env', { push: 'true' }, { BUILDX_NO_DEFAULT_ATTESTATIONS: 'true' }, false],
    ['main: the latest', { push: 'true' }, {}, true],
  ])('%s', (name, inputs, env, provenance) => {
    const version = name.split(':')[0].split(' ')[0];
    expect(build(`docker/build-push-action@${version}`, inputs, env).provenance.on).toEqual(provenance);
  });

  it('is no build at v1 (the docker CLI, without buildx)', () => {
    expect(actionStep(step('docker/build-push-action@v1', { push: 'true' }))).toBeUndefined();
  });

  it.each<[Record<string, string>, Partial<Build>]>([
    [{ push: 'true' }, { push: true }],
    [{ push: 'false' }, { push: false }],
    [{ push: 'yes' }, { push: false }],
    [{ push: "${{ github.event_name != 'pull_request' }}" }, { push: true }],
    [{ load: 'true' }, { push: false }],
    [{ outputs: 'type=registry' }, { push: true }],
    [
      { outputs: 'type=image,name=a/b,push-by-digest=true,push=true' },
      { push: true, pushByDigest: true, tags: [] },
    ],
    [
      { push: 'true', platforms: 'linux/amd64\nlinux/arm64' },
      { platforms: { single: false, description: 'linux/amd64, linux/arm64' } },
    ],
    [{ push: 'true', platforms: 'linux/arm64' }, { platforms: { single: true, description: 'linux/arm64' } }],
    [
      { push: 'true', tags: 'a/b:1,a/b:2\n# a comment\nghcr.io/c/d' },
      { tags: ['docker.io/a/b:1', 'docker.io/a/b:2', 'ghcr.io/c/d:latest'] },
    ],
    [
      { push: 'true', sbom: 'true' },
      { sbom: { on: true, requested: { at: { line: 21, column: 11 }, text: 'sbom: true' } } },
    ],
  ])('%j', (inputs, expected) => {
    expect(build('docker/build-push-action@v6', inputs)).toMatchObject(expected);
  });

  it('resolves ${{ env.X }} in inputs', () => {
    expect(
      build(
        'docker/build-push-action@v6',
        { push: 'true', tags: '${{ env.IMAGE }}:1' },
        { IMAGE: 'ghcr.io/a/b' },
      ).tags,
    ).toEqual(['ghcr.io/a/b:1']);
  });

  it('advises the provenance input where it exists, with the edit', () => {
    expect(build('docker/build-push-action@v6', { push: 'true' }).disable).toEqual({
      advice: "add `provenance: false` to the step's `with:`",
      edit: { offset: 100, insert: '\n          provenance: false' },
    });
  });

  it('advises the environment variable where the version has no provenance input', () => {
    const { disable } = build('docker/build-push-action@v2', { push: 'true', provenance: 'false' });
    expect(disable.edit).toBeUndefined();
    expect(disable.advice).toContain("set `BUILDX_NO_DEFAULT_ATTESTATIONS: 1` in the step's `env:`");
    expect(disable.advice).toContain('has no `provenance` input, so its `provenance:` input is ignored');
    expect(disable.advice).toContain('upgrade to `docker/build-push-action@v6`');
  });
});

describe('docker/bake-action', () => {
  it('takes platforms and attestations from the bake file unless `set:` overrides them', () => {
    const plain = build('docker/bake-action@v5', { push: 'true' });
    expect(plain.push).toBe(true);
    expect(plain.platforms.single).toEqual(unknown("the bake file's `platforms`"));
    expect(plain.provenance.on).toEqual(unknown("the bake file's `attest`"));
    const overridden = build('docker/bake-action@v5', {
      push: 'true',
      set: '*.platform=linux/amd64',
      provenance: 'false',
    });
    expect(overridden.platforms.single).toBe(true);
    expect(overridden.provenance.on).toBe(false);
  });

  it('ignores the provenance input before v3, but not `set:`', () => {
    expect(build('docker/bake-action@v2', { push: 'true', provenance: 'false' }).provenance.on).toEqual(
      unknown("the bake file's `attest`"),
    );
    const viaSet = build('docker/bake-action@v2', {
      push: 'true',
      set: '*.attest=type=provenance,disabled=true',
    });
    expect(viaSet.provenance.on).toBe(false);
    expect(viaSet.provenance.requested?.text).toBe('set: *.attest=type=provenance,disabled=true');
    expect(build('docker/bake-action@v2', { push: 'true' }).disable.advice).toContain(
      '`*.attest=type=provenance,disabled=true` to `set:`',
    );
  });

  it('pushes through set: *.push=true', () => {
    expect(build('docker/bake-action@v6', { set: '*.push=true' }).push).toBe(true);
  });
});

describe('buildx-guard', () => {
  it.each<[Record<string, string>, Build['provenance']['on']]>([
    [{ push: 'true' }, false],
    [{ push: 'true', 'attestation-policy': 'auto', platforms: 'linux/amd64,linux/arm64' }, true],
    [{ push: 'true', 'attestation-policy': 'strip', platforms: 'linux/amd64,linux/arm64' }, false],
    [{ push: 'true', 'attestation-policy': 'keep' }, true],
    [{ push: 'true', 'attestation-policy': '${{ inputs.policy }}' }, unknown('`${{ inputs.policy }}`')],
  ])('%j', (inputs, provenance) => {
    expect(build('acme/buildx-guard@v1', inputs).provenance.on).toEqual(provenance);
  });

  it('is no build in verify or lint mode', () => {
    expect(actionStep(step('acme/buildx-guard@v1', { mode: 'verify' }))).toBeUndefined();
    expect(actionStep(step('acme/buildx-guard@v1', { mode: 'lint' }))).toBeUndefined();
  });

  it('advises its own attestation policy', () => {
    expect(build('acme/buildx-guard@v1', { push: 'true', 'attestation-policy': 'keep' }).disable).toEqual({
      advice: "set `attestation-policy: auto` in the step's `with:`",
      edit: undefined,
    });
  });
});
