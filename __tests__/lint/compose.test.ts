import { ComposeCommand, composeServices, composeSteps } from '../../src/modes/lint/compose';
import { Build } from '../../src/modes/lint/model';
import { EMPTY_ENV, envScope, literal } from '../../src/modes/lint/value';

const command = (overrides: Partial<ComposeCommand>): ComposeCommand => ({
  kind: 'compose',
  command: 'build',
  files: [],
  services: [],
  push: false,
  at: { line: 7, column: 11 },
  file: 'w.yml',
  env: EMPTY_ENV,
  ...overrides,
});

const FILE = [
  'services:',
  '  app:',
  '    build: .',
  '    image: ghcr.io/acme/app:1',
  '  multi:',
  '    build: { context: ., platforms: [linux/amd64, linux/arm64] }',
  '    image: ghcr.io/acme/multi',
  '  db:',
  '    image: postgres:16',
  '  local:',
  '    build: ./local',
  '',
].join('\n');

describe('composeServices', () => {
  it.each<[string, string, ReturnType<typeof composeServices>]>([
    [
      'the services with build: and image:',
      FILE,
      [
        { name: 'app', image: 'ghcr.io/acme/app:1', platforms: [] },
        { name: 'multi', image: 'ghcr.io/acme/multi', platforms: ['linux/amd64', 'linux/arm64'] },
      ],
    ],
    ['no services', 'name: x\n', []],
    ['a file that is not YAML', 'services: [\n', undefined],
  ])('%s', (_name, text, services) => {
    expect(composeServices(text)).toEqual(services);
  });
});

describe('composeSteps', () => {
  const services = composeServices(FILE) ?? [];

  it('builds each service into the daemon under its image name, with buildx defaults', () => {
    const builds = composeSteps(command({}), services) as Build[];
    expect(builds.map((build) => [build.tool, build.loads, build.push, build.platforms.single])).toEqual([
      ['`docker compose build` (service `app`)', ['ghcr.io/acme/app:1'], false, true],
      ['`docker compose build` (service `multi`)', ['ghcr.io/acme/multi:latest'], false, false],
    ]);
    expect(builds[0].provenance.on).toBe(true);
    expect(builds[0].disable.advice).toBe("set `BUILDX_NO_DEFAULT_ATTESTATIONS: 1` in the step's `env:`");
  });

  it.each<[string, Partial<ComposeCommand>, (build: Build) => unknown, unknown[]]>([
    [
      'only the services named',
      { services: ['multi'] },
      (b) => b.tool,
      ['`docker compose build` (service `multi`)'],
    ],
    ['build --push pushes', { push: true }, (b) => b.push, [true, true]],
    [
      'the env opt-out',
      { env: envScope(new Map([['BUILDX_NO_DEFAULT_ATTESTATIONS', literal('1')]]), EMPTY_ENV) },
      (b) => b.provenance.on,
      [false, false],
    ],
  ])('%s', (_name, overrides, pick, expected) => {
    expect((composeSteps(command(overrides), services) as Build[]).map(pick)).toEqual(expected);
  });

  it('pushes the image of each service', () => {
    expect(composeSteps(command({ command: 'push', services: ['app'] }), services)).toEqual([
      {
        kind: 'push',
        refs: ['ghcr.io/acme/app:1'],
        allTags: false,
        at: { line: 7, column: 11 },
        text: 'docker compose push',
      },
    ]);
  });
});
