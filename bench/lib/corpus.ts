// Realistic workflow corpora for the lint bench, generated deterministically from the file's index: the shapes
// of the field reports (build-push-action steps of several majors, `run:` scripts with buildx and manifest
// commands, matrix builds with the push-by-digest distribute pattern, Gitea/Forgejo workflows, composite
// actions) mixed with ordinary CI workflows, each padded with a varying number of everyday steps.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface CorpusFile {
  /** Relative to the corpus root. */
  path: string;
  text: string;
  /** Whether this file's template pushes something DESIGN.md's error rules flag. */
  flagged: boolean;
}

type Random = () => number;

/** mulberry32: a tiny seeded PRNG, so the same index always gives the same file. */
function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

const SERVICES = [
  'api',
  'web',
  'worker',
  'gateway',
  'billing',
  'search',
  'auth',
  'runner',
  'scheduler',
  'proxy',
];
const REGISTRIES = [
  'ghcr.io/acme',
  'docker.io/acme',
  '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  'registry.example.com/platform',
];

interface Shape {
  name: string;
  service: string;
  image: string;
  padding: string;
}

/** Everyday steps that surround builds in real workflows (indented for a job's `steps:` list). */
const PADDING_STEPS = [
  `      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - run: npm test -- --ci --reporters=default`,
  `      - name: Cache Go modules
        uses: actions/cache@v4
        with:
          path: |
            ~/.cache/go-build
            ~/go/pkg/mod
          key: \${{ runner.os }}-go-\${{ hashFiles('**/go.sum') }}
      - run: go test ./... -race -count=1`,
  `      - name: Lint shell scripts
        run: |
          for f in scripts/*.sh; do
            shellcheck "$f"
          done`,
  `      - name: Write release notes
        run: |
          cat <<'EOF' > notes.md
          docker buildx build --push is mentioned here but this is a heredoc body
          EOF
          echo "notes written"`,
  `      - uses: actions/upload-artifact@v4
        with:
          name: reports-\${{ github.run_id }}
          path: reports/
          retention-days: 7`,
  `      - name: Compute version
        id: version
        run: echo "version=$(git describe --tags --always)" >> "$GITHUB_OUTPUT"`,
];

function padding(random: Random): string {
  const count = Math.floor(random() * 5);
  return Array.from({ length: count }, () => pick(random, PADDING_STEPS)).join('\n');
}

const header = (name: string, on = 'push:\n    branches: [main]\n  pull_request:') => `name: ${name}
on:
  ${on}
permissions:
  contents: read
  packages: write
`;

const LOGIN = `      - uses: docker/setup-buildx-action@v3
      - uses: docker/login-action@v3
        with:
          registry: ghcr.io
          username: \${{ github.actor }}
          password: \${{ secrets.GITHUB_TOKEN }}`;

interface Template {
  weight: number;
  path: (shape: Shape, index: number) => string;
  render: (shape: Shape, random: Random) => { text: string; flagged: boolean };
}

const TEMPLATES: Template[] = [
  {
    // An ordinary CI workflow with no container build at all: most files a linter reads look like this.
    weight: 20,
    path: (s, i) => `.github/workflows/ci-${s.service}-${i}.yml`,
    render: (s) => ({
      flagged: false,
      text: `${header(`CI ${s.service}`)}
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [18, 20, 22]
    steps:
      - uses: actions/checkout@v4
${s.padding || '      - run: make test'}
`,
    }),
  },
  {
    // docker/build-push-action on one platform: an index with an attestation child from v4 on, unless disabled.
    weight: 20,
    path: (s, i) => `.github/workflows/publish-${s.service}-${i}.yml`,
    render: (s, random) => {
      const major = pick(random, [3, 4, 5, 6, 6, 6]);
      const disabled = random() < 0.3;
      const platform = pick(random, ['', '          platforms: linux/amd64\n']);
      return {
        flagged: major >= 4 && !disabled,
        text: `${header(`Publish ${s.service}`)}
env:
  IMAGE: ${s.image}
jobs:
  docker:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${LOGIN}
      - id: meta
        uses: docker/metadata-action@v5
        with:
          images: \${{ env.IMAGE }}
          tags: |
            type=ref,event=branch
            type=sha
${s.padding}
      - name: Build and push
        uses: docker/build-push-action@v${major}
        with:
          context: .
          file: ./Dockerfile
${platform}          push: \${{ github.event_name != 'pull_request' }}
          tags: \${{ steps.meta.outputs.tags }}
          labels: \${{ steps.meta.outputs.labels }}
          cache-from: type=gha
          cache-to: type=gha,mode=max
${disabled ? '          provenance: false\n          sbom: false\n' : ''}`,
      };
    },
  },
  {
    // Multi-platform with buildx defaults: an index is expected, nothing to flag.
    weight: 10,
    path: (s, i) => `.github/workflows/release-${s.service}-${i}.yaml`,
    render: (s) => ({
      flagged: false,
      text: `${header(`Release ${s.service}`, "push:\n    tags: ['v*']")}
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: docker/setup-qemu-action@v3
${LOGIN}
${s.padding}
      - uses: docker/build-push-action@v6
        with:
          platforms: linux/amd64,linux/arm64,linux/arm/v7
          push: true
          tags: |
            ${s.image}:\${{ github.ref_name }}
            ${s.image}:latest
`,
    }),
  },
  {
    // A run: script with a line-continued buildx push, as in the ECR report; sometimes already fixed.
    weight: 12,
    path: (s, i) => `.github/workflows/deploy-${s.service}-${i}.yml`,
    render: (s, random) => {
      const fixed = random() < 0.3;
      return {
        flagged: !fixed,
        text: `${header(`Deploy ${s.service}`)}
jobs:
  build:
    runs-on: ubuntu-latest
    env:
      IMAGE: ${s.image}
    steps:
      - uses: actions/checkout@v4
${s.padding}
      - name: Build and push
        run: |
          set -euo pipefail
          aws ecr get-login-password | docker login --username AWS --password-stdin "\${IMAGE%%/*}"
          docker buildx build \\
            --platform linux/amd64 \\${fixed ? '\n            --provenance=false --sbom=false \\' : ''}
            --build-arg GIT_SHA=\${{ github.sha }} \\
            --tag "$IMAGE:\${{ github.sha }}" \\
            --tag "$IMAGE:latest" \\
            --push .
          if [ "\${{ github.ref }}" = "refs/heads/main" ]; then
            docker buildx imagetools create -t "$IMAGE:stable" "$IMAGE:\${{ github.sha }}"
          fi
`,
      };
    },
  },
  {
    // The knatnetwork report: per-arch pushes merged with `docker manifest create --amend`.
    weight: 6,
    path: (s, i) => `.github/workflows/multiarch-${s.service}-${i}.yml`,
    render: (s) => ({
      flagged: true,
      text: `${header(`Multi-arch ${s.service}`)}
jobs:
  build-amd64:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${LOGIN}
      - uses: docker/build-push-action@v4
        with:
          platforms: linux/amd64
          push: true
          tags: ${s.image}-amd64:\${{ github.sha }}
  build-arm64:
    runs-on: ubuntu-24.04-arm
    steps:
      - uses: actions/checkout@v4
${LOGIN}
      - uses: docker/build-push-action@v4
        with:
          platforms: linux/arm64
          push: true
          tags: ${s.image}-arm64:\${{ github.sha }}
  merge:
    needs: [build-amd64, build-arm64]
    runs-on: ubuntu-latest
    steps:
${s.padding}
      - name: Merge manifests
        run: |
          docker manifest create ${s.image}:\${{ github.sha }} \\
            --amend ${s.image}-amd64:\${{ github.sha }} \\
            --amend ${s.image}-arm64:\${{ github.sha }}
          docker manifest push ${s.image}:\${{ github.sha }}
`,
    }),
  },
  {
    // docker's documented distribute pattern: push-by-digest per platform, merged by imagetools. Legitimate.
    weight: 8,
    path: (s, i) => `.github/workflows/distribute-${s.service}-${i}.yml`,
    render: (s) => ({
      flagged: false,
      text: `${header(`Distribute ${s.service}`)}
env:
  REGISTRY_IMAGE: ${s.image}
jobs:
  build:
    runs-on: ubuntu-latest
    strategy:
      fail-fast: false
      matrix:
        platform:
          - linux/amd64
          - linux/arm64
    steps:
      - uses: actions/checkout@v4
${LOGIN}
      - id: build
        uses: docker/build-push-action@v6
        with:
          platforms: \${{ matrix.platform }}
          outputs: type=image,name=\${{ env.REGISTRY_IMAGE }},push-by-digest=true,name-canonical=true,push=true
      - name: Export digest
        run: |
          mkdir -p /tmp/digests
          digest="\${{ steps.build.outputs.digest }}"
          touch "/tmp/digests/\${digest#sha256:}"
      - uses: actions/upload-artifact@v4
        with:
          name: digests-\${{ strategy.job-index }}
          path: /tmp/digests/*
  merge:
    runs-on: ubuntu-latest
    needs: [build]
    steps:
      - uses: actions/download-artifact@v4
        with:
          path: /tmp/digests
          pattern: digests-*
          merge-multiple: true
${LOGIN}
${s.padding}
      - name: Create manifest list and push
        working-directory: /tmp/digests
        run: |
          docker buildx imagetools create -t \${{ env.REGISTRY_IMAGE }}:latest \\
            $(printf '\${{ env.REGISTRY_IMAGE }}@sha256:%s ' *)
`,
    }),
  },
  {
    // The Gitea report: two pushes without --platform in one job.
    weight: 8,
    path: (s, i) => `.gitea/workflows/publish-${s.service}-image-${i}.yml`,
    render: (s) => ({
      flagged: true,
      text: `${header(`publish-${s.service}-image`, 'push:\n    branches: [main]')}
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${s.padding}
      - name: Build platform image
        run: |
          docker buildx build -f Dockerfile -t ${s.image}:\${{ github.sha }} --push .
      - name: Build tenant image
        run: |
          sudo docker buildx build -f Dockerfile.tenant \\
            -t ${s.image}-tenant:\${{ github.sha }} \\
            --push .
`,
    }),
  },
  {
    // Forgejo, with attestations disabled for the whole workflow through the environment.
    weight: 4,
    path: (s, i) => `.forgejo/workflows/image-${s.service}-${i}.yaml`,
    render: (s) => ({
      flagged: false,
      text: `${header(`image ${s.service}`, 'push:\n    branches: [main]')}
env:
  BUILDX_NO_DEFAULT_ATTESTATIONS: 1
jobs:
  image:
    runs-on: docker
    steps:
      - uses: https://code.forgejo.org/actions/checkout@v4
${s.padding}
      - run: docker buildx build --tag ${s.image}:\${{ github.sha }} --push .
`,
    }),
  },
  {
    // A composite action that pushes a single-platform image.
    weight: 12,
    path: (s, i) => `.github/actions/publish-${s.service}-${i}/action.yml`,
    render: (s, random) => {
      const fixed = random() < 0.25;
      return {
        flagged: !fixed,
        text: `name: Publish ${s.service}
description: Build and push the ${s.service} image
inputs:
  tag:
    description: Image tag
    required: true
runs:
  using: composite
  steps:
    - name: Build
      shell: bash
      run: |
        docker buildx build${fixed ? ' --provenance=false' : ''} \\
          --tag "${s.image}:\${{ inputs.tag }}" \\
          --label org.opencontainers.image.revision=\${{ github.sha }} \\
          --push \\
          "\${{ github.action_path }}/../.."
    - name: Summary
      shell: bash
      run: echo "pushed ${s.image}:\${{ inputs.tag }}" >> "$GITHUB_STEP_SUMMARY"
`,
      };
    },
  },
];

const TOTAL_WEIGHT = TEMPLATES.reduce((sum, t) => sum + t.weight, 0);

/** The corpus file with this index (the same index always gives the same file). */
export function corpusFile(index: number): CorpusFile {
  const random = seeded(index + 1);
  let roll = random() * TOTAL_WEIGHT;
  const template = TEMPLATES.find((t) => (roll -= t.weight) < 0) ?? TEMPLATES[TEMPLATES.length - 1];
  const service = pick(random, SERVICES);
  const shape: Shape = {
    name: `${service}-${index}`,
    service,
    image: `${pick(random, REGISTRIES)}/${service}`,
    padding: padding(random),
  };
  const { text, flagged } = template.render(shape, random);
  return { path: template.path(shape, index), text, flagged };
}

export interface CorpusStats {
  files: number;
  bytes: number;
  flagged: number;
}

/** Writes files 0..count-1 under `root`. */
export function writeCorpus(root: string, count: number): CorpusStats {
  const stats: CorpusStats = { files: count, bytes: 0, flagged: 0 };
  for (let i = 0; i < count; i++) {
    const file = corpusFile(i);
    const path = join(root, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.text);
    stats.bytes += Buffer.byteLength(file.text);
    if (file.flagged) stats.flagged++;
  }
  return stats;
}
