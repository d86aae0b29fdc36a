import { parseDocument } from 'yaml';
import { buildSteps } from '../../src/modes/lint/extract';
import { applyEdits } from '../../src/modes/lint/fix';
import { Build, BuildStep } from '../../src/modes/lint/model';
import { ImageStorePolicy, NO_IMAGE_STORE_POLICY } from '../../src/modes/lint/runner';
import { BashParser, bashParser } from '../../src/modes/lint/shell';
import { unknown } from '../../src/modes/lint/tri';
import { githubEnvWrites } from '../../src/modes/lint/workflow';

let bash: BashParser;
beforeAll(async () => {
  bash = await bashParser();
});

function stepsOf(source: string): BuildStep[] {
  const doc = parseDocument(source, { merge: true });
  expect(doc.errors).toEqual([]);
  return buildSteps('w.yml', source, doc, bash);
}

function buildsOf(source: string): Build[] {
  return stepsOf(source).filter((step): step is Build => step.kind === 'build');
}

/** A workflow with one job whose steps are given as YAML lines (indented for `steps:`). */
const workflow = (steps: string, { env = '', jobEnv = '', jobExtra = '' } = {}) =>
  `on: push\n${env}jobs:\n  build:\n    runs-on: ubuntu-latest\n${jobEnv}${jobExtra}    steps:\n${steps}`;

/** 1-based line and column of the nth occurrence of `needle`. */
function positionOf(source: string, needle: string, nth = 1): { line: number; column: number } {
  let at = -1;
  for (let i = 0; i < nth; i++) at = source.indexOf(needle, at + 1);
  const before = source.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

describe('buildSteps', () => {
  it.each([
    ['a literal block', '      - run: |\n          echo hi\n          docker buildx build --push .\n'],
    [
      'a literal block with a continuation',
      '      - run: |-\n          docker buildx build \\\n            --push .\n',
    ],
    [
      'a folded block',
      '      - run: >\n          echo hi;\n          docker buildx build\n          --push .\n',
    ],
    ['a plain scalar', '      - run: docker buildx build --push .\n'],
    ['a double-quoted scalar', '      - run: "echo \\"hi\\"; docker buildx build --push ."\n'],
    ['a single-quoted scalar', "      - run: 'echo ''hi''; docker buildx build --push .'\n"],
  ])('maps a command in %s to its line and column', (_name, steps) => {
    const source = workflow(steps);
    const [build] = buildsOf(source);
    expect(build.at).toEqual(positionOf(source, 'docker buildx'));
  });

  it('points a uses: build at its uses: value', () => {
    const source = workflow(
      '      - name: build\n        uses: docker/build-push-action@v6\n        with:\n          push: true\n',
    );
    expect(buildsOf(source)[0].at).toEqual(positionOf(source, 'docker/build-push-action'));
  });

  it('resolves env through the step, job and workflow scopes', () => {
    const source = workflow(
      [
        '      - run: docker buildx build --push -t $IMAGE:${{ env.TAG }} .',
        '      - env:',
        '          TAG: step',
        '          BUILDX_NO_DEFAULT_ATTESTATIONS: 1',
        '        run: docker buildx build --push -t $IMAGE:${{ env.TAG }} .',
        '',
      ].join('\n'),
      { env: 'env:\n  IMAGE: ghcr.io/a/b\n  TAG: workflow\n', jobEnv: '    env:\n      TAG: job\n' },
    );
    const [first, second] = buildsOf(source);
    expect(first.tags).toEqual(['ghcr.io/a/b:job']);
    expect(first.provenance.on).toBe(true);
    expect(second.tags).toEqual(['ghcr.io/a/b:step']);
    expect(second.provenance.on).toBe(false);
  });

  it('sees variables an earlier step wrote to $GITHUB_ENV', () => {
    const source = workflow(
      [
        '      - run: docker buildx build --push .',
        '      - run: |',
        '          echo "BUILDX_NO_DEFAULT_ATTESTATIONS=1" >> "$GITHUB_ENV"',
        '      - run: docker buildx build --push .',
        '',
      ].join('\n'),
    );
    expect(buildsOf(source).map((build) => build.provenance.on)).toEqual([true, false]);
  });

  it('expands a literal matrix (with include) and leaves a computed one unresolved', () => {
    const literal = workflow(
      '      - run: docker buildx build --push --platform ${{ matrix.os }}/${{ matrix.arch }} .\n',
      {
        jobExtra:
          '    strategy:\n      matrix:\n        os: [linux]\n        arch: [amd64, arm64]\n        include:\n          - arch: riscv64\n',
      },
    );
    expect(buildsOf(literal)[0].platforms.single).toBe(true);
    const computed = workflow('      - run: docker buildx build --push --platform ${{ matrix.p }} .\n', {
      jobExtra: '    strategy:\n      matrix:\n        p: ${{ fromJSON(inputs.platforms) }}\n',
    });
    expect(buildsOf(computed)[0].platforms.single).toEqual(unknown('`${{ matrix.p }}`'));
  });

  it('follows aliases and merge keys', () => {
    const source = [
      'x-step: &step',
      '  uses: docker/build-push-action@v6',
      '  with:',
      '    push: true',
      'x-env: &env',
      '  BUILDX_NO_DEFAULT_ATTESTATIONS: 1',
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: x',
      '    steps: [*step]',
      '  b:',
      '    runs-on: x',
      '    env: *env',
      '    steps:',
      '      - *step',
      '      - <<: *step',
      '        env:',
      '          BUILDX_NO_DEFAULT_ATTESTATIONS: 0',
      '',
    ].join('\n');
    expect(buildsOf(source).map((build) => build.provenance.on)).toEqual([true, false, true]);
  });

  it('reads the steps of a composite action', () => {
    const source =
      'runs:\n  using: composite\n  steps:\n    - shell: bash\n      run: docker buildx build --push -t "${{ inputs.image }}" .\n';
    const [build] = buildsOf(source);
    expect(build.tags).toEqual(['${{ inputs.image }}:latest']);
  });

  it.each([
    ['pwsh', true],
    ['python', true],
    ['bash -e {0}', false],
    ['/bin/sh', false],
  ])('with shell %s, skips the script: %s', (shell, skipped) => {
    const source = workflow(`      - shell: ${shell}\n        run: docker buildx build --push .\n`);
    expect(buildsOf(source)).toHaveLength(skipped ? 0 : 1);
  });

  it('takes the default shell from defaults.run.shell', () => {
    const source = workflow('      - run: docker buildx build --push .\n', {
      jobExtra: '    defaults:\n      run:\n        shell: pwsh\n',
    });
    expect(buildsOf(source)).toEqual([]);
  });

  it('skips shapes it does not know without throwing', () => {
    for (const source of [
      '',
      '- a list',
      'jobs: 3',
      'jobs:\n  a: [1, 2]',
      'jobs:\n  a:\n    steps: {}',
      'jobs:\n  a:\n    steps:\n      - 3\n      - run: [x]',
    ]) {
      expect(stepsOf(source)).toEqual([]);
    }
  });
});

describe('provenance edits (--fix)', () => {
  it.each([
    [
      'appends to a with: block, keeping its comments',
      '      - uses: docker/build-push-action@v6\n        with:\n          push: true # push it\n          tags: a/b\n      - run: echo done\n',
      '      - uses: docker/build-push-action@v6\n        with:\n          push: true # push it\n          tags: a/b\n          provenance: false\n      - run: echo done\n',
    ],
    [
      'appends after a block scalar input',
      '      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: |\n            a/b:1\n            a/b:2\n',
      '      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          tags: |\n            a/b:1\n            a/b:2\n          provenance: false\n',
    ],
    [
      'adds a with: block after uses:',
      '      - name: x\n        uses: docker/build-push-action@v6 # pinned\n        env:\n          A: 1\n',
      '      - name: x\n        uses: docker/build-push-action@v6 # pinned\n        with:\n          provenance: false\n        env:\n          A: 1\n',
    ],
    [
      'adds a with: block when uses: is the first key of the step',
      '      - uses: docker/build-push-action@v6',
      '      - uses: docker/build-push-action@v6\n        with:\n          provenance: false',
    ],
  ])('%s', (_name, steps, fixed) => {
    const source = workflow(steps);
    const [build] = buildsOf(source);
    expect(build.disable.edit).toBeDefined();
    expect(applyEdits(source, build.disable.edit ? [build.disable.edit] : [])).toBe(workflow(fixed));
  });

  it('leaves a flow mapping alone', () => {
    const source = workflow('      - { uses: docker/build-push-action@v6, with: { push: true } }\n');
    expect(buildsOf(source)[0].disable.edit).toBeUndefined();
  });

  it('inserts the flags after the subcommand in a script', () => {
    const source = workflow('      - run: |\n          sudo docker buildx build --push . # comment\n');
    const [build] = buildsOf(source);
    expect(applyEdits(source, build.disable.edit ? [build.disable.edit] : [])).toBe(
      workflow(
        '      - run: |\n          sudo docker buildx build --provenance=false --sbom=false --push . # comment\n',
      ),
    );
  });
});

describe('githubEnvWrites', () => {
  it.each([
    ['echo "A=1" >> "$GITHUB_ENV"', [['A', '1']]],
    ["echo 'A=b c' >> $GITHUB_ENV", [['A', 'b c']]],
    ['  echo A=1 >>${GITHUB_ENV}', [['A', '1']]],
    ['echo "A=$(date)" >> "$GITHUB_ENV"', []],
    ['echo "A=1" >> "$GITHUB_OUTPUT"', []],
  ])('%s', (script, writes) => {
    expect([...githubEnvWrites(script)]).toEqual(writes);
  });
});

describe('images in the daemon, followed through a job', () => {
  const job = (runsOn: string, steps: string[], extra = '') =>
    `on: push\njobs:\n  build:\n    runs-on: ${runsOn}\n${extra}    steps:\n${steps.map((step) => `      - ${step}\n`).join('')}`;
  const pushesOf = (source: string, imageStore: ImageStorePolicy = NO_IMAGE_STORE_POLICY, file = 'w.yml') => {
    const doc = parseDocument(source, { merge: true });
    return buildSteps(file, source, doc, bash, { imageStore }).filter(
      (step): step is Build => step.kind === 'build' && step.push !== false,
    );
  };
  const issue = [
    'run: |\n          docker build -t ghcr.io/acme/app:1 .\n          docker push ghcr.io/acme/app:1',
  ];
  const SELF_HOSTED = unknown(
    'the image store of runner `self-hosted` (state it with `image-store` in the policy file)',
  );

  it('judges the issue workflow as the build pushed from the containerd store of ubuntu-latest', () => {
    const source = job('ubuntu-latest', issue);
    const [pushed, ...more] = pushesOf(source);
    expect(more).toEqual([]);
    expect(pushed).toMatchObject({
      tool: '`docker build` + `docker push ghcr.io/acme/app:1` (line 8)',
      at: positionOf(source, 'docker build'),
      push: true,
      tags: ['ghcr.io/acme/app:1'],
      provenance: { on: true },
      keepsAttestations: true,
      storeDecides: true,
    });
    expect(pushed.disable.edit).toEqual({
      offset: source.indexOf('docker build') + 'docker build'.length,
      insert: ' --provenance=false --sbom=false',
    });
  });

  it.each<[string, string, ImageStorePolicy | undefined, Build['keepsAttestations']]>([
    ['a self-hosted label', 'self-hosted', undefined, SELF_HOSTED],
    ['ubuntu-24.04-arm', 'ubuntu-24.04-arm', undefined, true],
    [
      'a list of labels',
      '[self-hosted, linux]',
      undefined,
      unknown(
        'the image store of runner `self-hosted, linux` (state it with `image-store` in the policy file)',
      ),
    ],
    ['a fleet the policy says is classic', 'self-hosted', { labels: new Map(), others: 'classic' }, false],
    [
      'a label the policy names',
      '[self-hosted, gpu]',
      { labels: new Map([['gpu', 'containerd']]), others: 'classic' },
      true,
    ],
    [
      'a GitHub label the policy overrides',
      'ubuntu-latest',
      { labels: new Map([['ubuntu-latest', 'classic']]) },
      false,
    ],
    [
      'a label from the matrix',
      '${{ matrix.os }}',
      undefined,
      unknown(
        'the image store of runner `${{ matrix.os }}: ubuntu-latest; self-hosted` (state it with `image-store` in the policy file)',
      ),
    ],
    [
      'a label from an expression',
      '${{ inputs.runner }}',
      undefined,
      unknown(
        'the image store of runner `${{ inputs.runner }}` (state it with `image-store` in the policy file)',
      ),
    ],
  ])('takes the image store from the runner: %s', (_name, runsOn, policy, keeps) => {
    const matrix = '    strategy:\n      matrix:\n        os: [ubuntu-latest, self-hosted]\n';
    const [pushed] = pushesOf(job(runsOn, issue, matrix), policy);
    expect(pushed.keepsAttestations).toEqual(keeps);
  });

  it.each<[string, string, string[], ImageStorePolicy | undefined, Build['keepsAttestations'] | 'none']>([
    [
      'a tag chain across steps of the job',
      'ubuntu-latest',
      [
        'run: docker build -t app .',
        'run: docker tag app ghcr.io/a/b:1 && docker image tag ghcr.io/a/b:1 ghcr.io/a/b:2',
        'run: docker image push ghcr.io/a/b:2',
      ],
      undefined,
      true,
    ],
    [
      'buildx --load, then push',
      'ubuntu-latest',
      ['run: docker buildx build --load -t app . && docker push app'],
      undefined,
      true,
    ],
    [
      'a loop over tags',
      'ubuntu-latest',
      [
        'run: |\n          docker build -t app .\n          for t in 1 2; do docker tag app app:$t; docker push app:$t; done',
      ],
      undefined,
      true,
    ],
    [
      '--all-tags',
      'ubuntu-latest',
      ['run: docker build -t ghcr.io/a/b:1 -t ghcr.io/a/b:2 . && docker push --all-tags ghcr.io/a/b'],
      undefined,
      true,
    ],
    [
      'an image the job pulled',
      'ubuntu-latest',
      ['run: docker build -t app . && docker pull app && docker push app'],
      undefined,
      'none',
    ],
    ['an image the job never built', 'ubuntu-latest', ['run: docker push app'], undefined, 'none'],
    [
      'a build that does not load',
      'ubuntu-latest',
      ['run: docker buildx build -t app . && docker push app'],
      undefined,
      'none',
    ],
    ['a push in another job', 'ubuntu-latest', ['run: docker build -t app .'], undefined, 'none'],
    [
      'a daemon the job sets up itself',
      'ubuntu-latest',
      ['uses: docker/setup-docker-action@v4', 'run: docker build -t app . && docker push app'],
      undefined,
      unknown('the image store of the daemon after `docker/setup-docker-action@v4`'),
    ],
    [
      'a daemon.json the job writes',
      'ubuntu-latest',
      ['run: echo "{}" | sudo tee /etc/docker/daemon.json', 'run: docker build -t app . && docker push app'],
      undefined,
      unknown('the image store of the daemon after the step at line 6 that writes `daemon.json`'),
    ],
    [
      'docker/build-push-action with load: true, then docker push',
      'ubuntu-latest',
      [
        'uses: docker/build-push-action@v6\n        with:\n          load: true\n          tags: ghcr.io/a/b:1',
        'run: docker push ghcr.io/a/b:1',
      ],
      undefined,
      true,
    ],
    [
      'the legacy builder',
      'ubuntu-latest',
      ['run: DOCKER_BUILDKIT=0 docker build -t app . && docker push app'],
      undefined,
      true,
    ],
  ])('follows %s', (_name, runsOn, steps, policy, keeps) => {
    const source = `${job(runsOn, steps)}  other:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker push app\n`;
    const pushed = pushesOf(source, policy);
    if (keeps === 'none') expect(pushed).toEqual([]);
    else expect(pushed.map((build) => build.keepsAttestations)).toEqual([keeps]);
  });

  it('pushes every tag --all-tags sends, and the legacy builder makes no attestation', () => {
    const [all] = pushesOf(
      job('ubuntu-latest', [
        'run: docker build -t ghcr.io/a/b:1 -t ghcr.io/a/b:2 -t c . && docker push -a ghcr.io/a/b',
      ]),
    );
    expect(all.tags).toEqual(['ghcr.io/a/b:1', 'ghcr.io/a/b:2']);
    const [legacy] = pushesOf(
      job('ubuntu-latest', ['run: DOCKER_BUILDKIT=0 docker build -t app . && docker push app']),
    );
    expect(legacy.provenance.on).toBe(false);
  });

  it.each<[string, string[], Build['keepsAttestations']]>([
    ['the docker driver on a self-hosted runner', ['run: docker buildx build --push .'], SELF_HOSTED],
    [
      'docker/setup-buildx-action',
      ['uses: docker/setup-buildx-action@v3', 'run: docker buildx build --push .'],
      true,
    ],
    [
      'setup-buildx-action with the docker driver',
      [
        'uses: docker/setup-buildx-action@v3\n        with:\n          driver: docker',
        'run: docker buildx build --push .',
      ],
      SELF_HOSTED,
    ],
    ['docker buildx create --use', ['run: docker buildx create --use && docker buildx build --push .'], true],
    [
      '--builder default after setup-buildx-action',
      ['uses: docker/setup-buildx-action@v3', 'run: docker buildx build --builder default --push .'],
      SELF_HOSTED,
    ],
    [
      'a named builder the job did not create',
      ['run: docker buildx build --builder ci --push .'],
      unknown(
        'the builder `ci`',
        'the image store of runner `self-hosted` (state it with `image-store` in the policy file)',
      ),
    ],
    [
      'build-push-action after setup-buildx-action',
      [
        'uses: docker/setup-buildx-action@v3',
        'uses: docker/build-push-action@v6\n        with:\n          push: true',
      ],
      true,
    ],
  ])('takes the builder into account for a push from BuildKit: %s', (_name, steps, keeps) => {
    const [pushed] = pushesOf(job('self-hosted', steps));
    expect(pushed.keepsAttestations).toEqual(keeps);
  });

  it('does not know the store of a Gitea runner or of a composite action', () => {
    const gitea = pushesOf(job('ubuntu-latest', issue), NO_IMAGE_STORE_POLICY, '.gitea/workflows/w.yml');
    expect(gitea[0].keepsAttestations).toEqual(
      unknown('the image store of runner `ubuntu-latest` (state it with `image-store` in the policy file)'),
    );
    const action =
      'runs:\n  using: composite\n  steps:\n    - run: docker build -t app . && docker push app\n      shell: bash\n';
    expect(pushesOf(action)[0].keepsAttestations).toEqual(
      unknown(
        'the image store of the runner that runs this action (state it with `image-store` in the policy file)',
      ),
    );
    expect(pushesOf(action, { labels: new Map(), others: 'containerd' })[0].keepsAttestations).toBe(true);
    const container = pushesOf(job('ubuntu-latest', issue, '    container: node:20\n'));
    expect(container[0].keepsAttestations).toEqual(
      unknown("the image store of the daemon the job's `container:` uses"),
    );
  });
});
