import { dockerStep, ScriptLocator } from '../../src/modes/lint/docker-command';
import { Build, DaemonOp } from '../../src/modes/lint/model';
import { BashParser, bashParser, scriptCommands } from '../../src/modes/lint/shell';
import { unknown } from '../../src/modes/lint/tri';
import { EMPTY_ENV, envScope, literal, Matrix, NO_MATRIX } from '../../src/modes/lint/value';

let bash: BashParser;
beforeAll(async () => {
  bash = await bashParser();
});

/** The steps of a one-line script; positions are script offsets as columns on line 1. */
function steps(
  script: string,
  options: { env?: Record<string, string>; matrix?: Matrix } = {},
): ReturnType<typeof dockerStep>[] {
  const locator: ScriptLocator = {
    file: 'w.yml',
    matrix: options.matrix ?? NO_MATRIX,
    position: (offset) => ({ line: 1, column: offset + 1 }),
    exactOffset: (offset) => offset,
  };
  const env = envScope(
    new Map(Object.entries(options.env ?? {}).map(([name, value]) => [name, literal(value)])),
    EMPTY_ENV,
  );
  return scriptCommands(bash, script, env).flatMap((command) => dockerStep(command, locator) ?? []);
}

function build(script: string, options?: Parameters<typeof steps>[1]): Build {
  const [step] = steps(script, options);
  if (step?.kind !== 'build') throw new Error(`no build in ${script}`);
  return step;
}

describe('docker commands', () => {
  it.each([
    ['docker buildx build --push .', 'docker buildx build'],
    ['docker buildx b --push .', 'docker buildx build'],
    ['docker build --push .', 'docker build'],
    ['docker image build --push .', 'docker build'],
    ['docker builder build --push .', 'docker build'],
    [
      '/usr/bin/docker --config /tmp/c -H unix:///x buildx --builder ci build --push .',
      'docker buildx build',
    ],
    ['sudo -u root docker buildx build --push .', 'docker buildx build'],
    ['env -i PATH=/bin docker buildx build --push .', 'docker buildx build'],
    ['time nice -n 5 docker buildx build --push .', 'docker buildx build'],
    ['docker buildx bake --push', 'docker buildx bake'],
    ['docker buildx f --push', 'docker buildx bake'],
  ])('recognises %s', (script, command) => {
    expect(build(script).tool).toBe(`\`${command}\``);
  });

  it.each([
    'docker run --rm alpine',
    'docker buildx ls',
    'docker buildx create --name x',
    'echo docker buildx build --push .',
    'docker manifest push a/b',
  ])('ignores %s', (script) => {
    expect(steps(script)).toEqual([]);
  });

  it.each<[string, DaemonOp]>([
    [
      'docker tag app:1 ghcr.io/a/b',
      { kind: 'tag', source: ['docker.io/library/app:1'], target: ['ghcr.io/a/b:latest'] },
    ],
    [
      'docker image tag a b:2',
      { kind: 'tag', source: ['docker.io/library/a:latest'], target: ['docker.io/library/b:2'] },
    ],
    [
      'docker push a/b',
      {
        kind: 'push',
        refs: ['docker.io/a/b:latest'],
        allTags: false,
        at: { line: 1, column: 1 },
        text: 'docker push a/b',
      },
    ],
    [
      'sudo docker image push --all-tags a/b',
      {
        kind: 'push',
        refs: ['docker.io/a/b:latest'],
        allTags: true,
        at: { line: 1, column: 6 },
        text: 'docker push a/b',
      },
    ],
    ['docker pull a/b:1', { kind: 'forget', refs: ['docker.io/a/b:1'] }],
    ['docker load -i x.tar', { kind: 'forget', refs: 'all' }],
    ['docker buildx create --use --name ci', { kind: 'builder', container: true }],
    ['docker buildx use default', { kind: 'builder', container: false }],
    ['docker buildx use ci', { kind: 'builder', container: unknown('the builder `ci`') }],
  ])('reads what %s does to the daemon', (script, op) => {
    expect(steps(script)).toEqual([op]);
  });

  it.each<[string, object]>([
    ['docker compose build', { command: 'build', files: [], services: [], push: false }],
    [
      'docker compose -f ci/compose.yml --project-name x build --push app api',
      { command: 'build', files: [literal('ci/compose.yml')], services: ['app', 'api'], push: true },
    ],
    ['docker-compose push app', { command: 'push', services: ['app'] }],
    ['sudo docker compose --dry-run push', { command: 'push', services: [] }],
  ])('reads the compose command %s', (script, expected) => {
    expect(steps(script)).toEqual([expect.objectContaining({ kind: 'compose', ...expected })]);
  });

  it.each(['docker compose up -d', 'docker compose run app docker build .'])('ignores %s', (script) => {
    expect(steps(script).filter((step) => step?.kind === 'compose')).toEqual([]);
  });

  it.each<[string, Partial<Build>]>([
    ['docker build -t app:1 .', { loads: ['docker.io/library/app:1'], push: false }],
    ['docker image build -t app:1 -o type=docker .', { loads: ['docker.io/library/app:1'] }],
    ['docker build -t app:1 -o out .', { loads: [] }],
    ['docker buildx build -t app:1 .', { loads: [] }],
    ['docker buildx build --load -t app:1 .', { loads: ['docker.io/library/app:1'] }],
    ['docker buildx build --output=type=docker -t app:1 .', { loads: ['docker.io/library/app:1'] }],
    ['docker buildx build --builder ci --push .', { builder: { text: 'ci', unresolved: [] } }],
    ['DOCKER_BUILDKIT=0 docker build -t a .', { provenance: { on: false } }],
    ['DOCKER_BUILDKIT=1 docker build -t a .', { provenance: { on: true } }],
    ['DOCKER_BUILDKIT=0 docker buildx build --push .', { provenance: { on: true } }],
    ['DOCKER_BUILDKIT=$B docker build -t a .', { provenance: { on: unknown('`$B`') } }],
  ])('reads %s', (script, expected) => {
    expect(build(script)).toMatchObject(expected);
  });

  it.each<[string, Partial<Build>]>([
    [
      'docker buildx build $ARGS --push .',
      {
        push: true,
        platforms: { single: unknown('`$ARGS`'), description: "the builder's default platform" },
        provenance: { on: unknown('`$ARGS`') },
      },
    ],
    [
      'docker buildx build ${{ steps.meta.outputs.args }} -t a .',
      { push: unknown('`${{ steps.meta.outputs.args }}`') },
    ],
    [
      'docker buildx build $ARGS --platform a,b --provenance=false --push .',
      {
        platforms: { single: false, description: 'a, b' },
        provenance: expect.objectContaining({ on: false }),
      },
    ],
    ['docker buildx build --push $CONTEXT', { push: true, provenance: { on: true } }],
    [
      'export ARGS="--push --platform a,b" && docker buildx build $ARGS .',
      { push: true, platforms: { single: false, description: 'a, b' } },
    ],
  ])('takes an opaque word for what it may hold: %s', (script, expected) => {
    expect(build(script)).toMatchObject(expected);
  });

  it.each<[string, Partial<Build>]>([
    [
      'docker buildx build --push .',
      { push: true, platforms: { single: true, description: "the builder's default platform" } },
    ],
    ['docker buildx build --push=false .', { push: false }],
    ['docker buildx build --push=${{ inputs.push }} .', { push: true }],
    ['docker buildx build --load .', { push: false }],
    ['docker buildx build --output type=registry .', { push: true }],
    ['docker buildx build -o type=image,push=true .', { push: true }],
    ['docker buildx build -otype=registry .', { push: true }],
    ['docker buildx build --output=type=local,dest=out .', { push: false }],
    ['docker buildx build -o out .', { push: false }],
    ['docker buildx build -o "${{ inputs.output }}" .', { push: unknown('`${{ inputs.output }}`') }],
    [
      'docker buildx build -o type=image,name=a/b,push-by-digest=true,name-canonical=true,push=true --platform linux/arm64 .',
      { push: true, pushByDigest: true, tags: [] },
    ],
    [
      'docker buildx build --push --platform linux/amd64,linux/arm64 .',
      { platforms: { single: false, description: 'linux/amd64, linux/arm64' } },
    ],
    [
      'docker buildx build --push --platform=linux/amd64 --platform linux/arm64 .',
      { platforms: { single: false, description: 'linux/amd64, linux/arm64' } },
    ],
    [
      'docker buildx build --push --provenance=false .',
      { provenance: { on: false, requested: { at: { line: 1, column: 28 }, text: '--provenance=false' } } },
    ],
    [
      'docker buildx build --push --provenance false .',
      { provenance: { on: false, requested: { at: { line: 1, column: 28 }, text: '--provenance false' } } },
    ],
    [
      'docker buildx build --push --attest type=provenance,disabled=true .',
      {
        provenance: {
          on: false,
          requested: { at: { line: 1, column: 28 }, text: '--attest type=provenance,disabled=true' },
        },
      },
    ],
    [
      'docker buildx build --push --attest type=sbom .',
      { sbom: { on: true, requested: { at: { line: 1, column: 28 }, text: '--attest type=sbom' } } },
    ],
    ['BUILDX_NO_DEFAULT_ATTESTATIONS=1 docker buildx build --push .', { provenance: { on: false } }],
    ['env BUILDX_NO_DEFAULT_ATTESTATIONS=true docker buildx build --push .', { provenance: { on: false } }],
    [
      'docker buildx build --push -t app -t ghcr.io/a/b:1 .',
      { tags: ['docker.io/library/app:latest', 'ghcr.io/a/b:1'] },
    ],
    ['docker buildx build --output type=image,name=a/b:1,push=true .', { tags: ['docker.io/a/b:1'] }],
  ])('models %s', (script, expected) => {
    expect(build(script)).toMatchObject(expected);
  });

  it('keeps the step environment through sudo -E but not through sudo', () => {
    const env = { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' };
    expect(build('docker buildx build --push .', { env }).provenance.on).toBe(false);
    expect(build('sudo -E docker buildx build --push .', { env }).provenance.on).toBe(false);
    expect(build('sudo docker buildx build --push .', { env }).provenance.on).toBe(true);
    expect(build('sudo BUILDX_NO_DEFAULT_ATTESTATIONS=1 docker buildx build --push .').provenance.on).toBe(
      false,
    );
    expect(build('env -i docker buildx build --push .', { env }).provenance.on).toBe(true);
  });

  it('expands the matrix in platforms and tags', () => {
    const matrix = new Map([['arch', ['amd64', 'arm64']]]);
    const expanded = build(
      'docker buildx build --push --platform linux/${{ matrix.arch }} -t a/b:${{ matrix.arch }} .',
      { matrix },
    );
    expect(expanded.platforms.single).toBe(true);
    expect(expanded.tags).toEqual(['docker.io/a/b:amd64', 'docker.io/a/b:arm64']);
  });

  it('models bake: platforms and attestations from the bake file unless overridden', () => {
    const bake = build('docker buildx bake --push');
    expect(bake.push).toBe(true);
    expect(bake.platforms.single).toEqual(unknown("the bake file's `platforms`"));
    expect(bake.provenance.on).toEqual(unknown("the bake file's `attest`"));
    const overridden = build(
      "docker buildx bake app --push --set 'app.platform=linux/amd64' --set *.attest=type=provenance,disabled=true",
    );
    expect(overridden.platforms.single).toBe(true);
    expect(overridden.provenance.on).toBe(false);
    expect(build('docker buildx bake --set *.output=type=registry').push).toBe(true);
    expect(build('docker buildx bake --set *.push=true').push).toBe(true);
    expect(build('docker buildx bake a b --set a.platform=linux/amd64 --push').platforms.single).toEqual(
      unknown("the bake file's `platforms`"),
    );
    expect(build('docker buildx bake --push --provenance=false').provenance.on).toBe(false);
  });

  it('models imagetools create as an index copy, except a dry run', () => {
    expect(steps('docker buildx imagetools create -t a/b:1 -t a/b:latest a/b@sha256:1 a/b@sha256:2')).toEqual(
      [
        {
          kind: 'index-copy',
          file: 'w.yml',
          at: { line: 1, column: 1 },
          tags: ['docker.io/a/b:1', 'docker.io/a/b:latest'],
        },
      ],
    );
    expect(steps('docker buildx imagetools create --dry-run -t a/b:1 a/b@sha256:1')).toEqual([]);
  });

  it('models manifest create with its sources, after the list name', () => {
    const script = 'docker manifest create a/b:1 --amend a/b:amd64 -a a/b:arm64 --insecure a/b:s390x';
    expect(steps(script)).toEqual([
      {
        kind: 'manifest-merge',
        file: 'w.yml',
        at: { line: 1, column: 1 },
        sources: [
          {
            text: 'a/b:amd64',
            refs: ['docker.io/a/b:amd64'],
            at: { line: 1, column: script.indexOf('a/b:amd64') + 1 },
          },
          {
            text: 'a/b:arm64',
            refs: ['docker.io/a/b:arm64'],
            at: { line: 1, column: script.indexOf('a/b:arm64') + 1 },
          },
          {
            text: 'a/b:s390x',
            refs: ['docker.io/a/b:s390x'],
            at: { line: 1, column: script.indexOf('a/b:s390x') + 1 },
          },
        ],
      },
    ]);
  });

  it('offers a fix right after the subcommand, adding --sbom=false only where SBOM is not set', () => {
    expect(build('docker buildx build --push .').disable).toEqual({
      advice: 'add `--provenance=false --sbom=false` to the `docker buildx build` command',
      edit: { offset: 'docker buildx build'.length, insert: ' --provenance=false --sbom=false' },
    });
    expect(build('docker build --sbom=false --push .').disable.edit).toEqual({
      offset: 'docker build'.length,
      insert: ' --provenance=false',
    });
  });
});
