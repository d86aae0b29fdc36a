// The prediction oracle: for each build pattern the linter models, lint a workflow holding it, then run its commands
// on the real engine (image names rewritten to the test registry, a FROM scratch context) and check that the
// verdict matches what the registry then serves: an error or warning exactly when the push is an index with an
// attestation child that the policy wants plain, no finding when it is plain (or a multi-platform index, which
// attestation-policy auto allows), and for a note, that the real outcome is one of those. Under both image stores:
// the containerd store (`main`) and the classic store (`classic`). Skipped, and listed once, without the engine.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LINT_POLICY, LintPolicy } from '../../src/modes/lint/config';
import { Finding } from '../../src/modes/lint/finding';
import { applyEdits } from '../../src/modes/lint/fix';
import { lintRepository } from '../../src/modes/lint/index';
import { cliLog } from '../../src/core/output/log';
import {
  describeEngine,
  docker,
  engineEnv,
  Flavour,
  scratchContext,
  ScratchContext,
} from '../support/engine';
import { startRegistry, TestRegistry } from '../support/registry';
import { attestationChildren, served } from '../e2e/registry-view';

/** One pattern: a `run:` script (IMAGE stands for the image's repository, `.` for the context). */
interface OracleCase {
  name: string;
  script: string[];
  /** env: of the step, the job or the workflow. */
  env?: { step?: Record<string, string>; job?: Record<string, string>; workflow?: Record<string, string> };
  /** The reference the case pushes, checked in the registry. */
  pushed: string;
  /** What an opaque word stands for when the commands run (each is one run of the case). */
  expands?: Record<string, string>;
  /** The store on which the build is refused (multi-platform and attestations need the containerd store). */
  refusedOn?: Flavour;
  /** Files of the repository and the context (a compose file), IMAGE as in the script. */
  files?: Record<string, string>;
}

const COMPOSE = 'services:\n  app:\n    build: .\n    image: IMAGE:1\n';

const OPAQUE = '${{ steps.meta.outputs.args }}';

const CASES: OracleCase[] = [
  { name: 'buildx --push', script: ['docker buildx build --push -t IMAGE:1 .'], pushed: 'IMAGE:1' },
  {
    name: 'buildx --output type=registry',
    script: ['docker buildx build --output type=registry -t IMAGE:1 .'],
    pushed: 'IMAGE:1',
  },
  {
    name: 'buildx --output type=image,push=true',
    script: ['docker buildx build --output type=image,push=true -t IMAGE:1 .'],
    pushed: 'IMAGE:1',
  },
  {
    name: 'buildx --push --provenance=false',
    script: ['docker buildx build --push --provenance=false -t IMAGE:1 .'],
    pushed: 'IMAGE:1',
  },
  {
    name: 'buildx --push --attest type=provenance,disabled=true',
    script: ['docker buildx build --push --attest type=provenance,disabled=true -t IMAGE:1 .'],
    pushed: 'IMAGE:1',
  },
  {
    name: 'buildx --push --provenance=mode=max',
    script: ['docker buildx build --push --provenance=mode=max -t IMAGE:1 .'],
    pushed: 'IMAGE:1',
    refusedOn: 'classic',
  },
  {
    name: 'BUILDX_NO_DEFAULT_ATTESTATIONS in the step env',
    script: ['docker buildx build --push -t IMAGE:1 .'],
    env: { step: { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' } },
    pushed: 'IMAGE:1',
  },
  {
    name: 'BUILDX_NO_DEFAULT_ATTESTATIONS in the job env',
    script: ['docker buildx build --push -t IMAGE:1 .'],
    env: { job: { BUILDX_NO_DEFAULT_ATTESTATIONS: 'true' } },
    pushed: 'IMAGE:1',
  },
  {
    name: 'BUILDX_NO_DEFAULT_ATTESTATIONS in the workflow env',
    script: ['docker buildx build --push -t IMAGE:1 .'],
    env: { workflow: { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' } },
    pushed: 'IMAGE:1',
  },
  {
    name: 'multi-platform buildx --push',
    script: ['docker buildx build --push --platform linux/amd64,linux/arm64 -t IMAGE:1 .'],
    pushed: 'IMAGE:1',
    refusedOn: 'classic',
  },
  {
    name: 'docker build + docker push',
    script: ['docker build -t IMAGE:1 .', 'docker push IMAGE:1'],
    pushed: 'IMAGE:1',
  },
  {
    name: 'docker build, docker tag, docker push of the new name',
    script: ['docker build -t IMAGE:1 .', 'docker tag IMAGE:1 IMAGE:2', 'docker image push IMAGE:2'],
    pushed: 'IMAGE:2',
  },
  {
    name: 'docker build + docker push --all-tags',
    script: ['docker build -t IMAGE:1 -t IMAGE:2 .', 'docker push --all-tags IMAGE'],
    pushed: 'IMAGE:2',
  },
  {
    name: 'buildx --load + docker push',
    script: ['docker buildx build --load -t IMAGE:1 .', 'docker push IMAGE:1'],
    pushed: 'IMAGE:1',
  },
  {
    name: 'docker build --provenance=false + docker push',
    script: ['docker build --provenance=false -t IMAGE:1 .', 'docker push IMAGE:1'],
    pushed: 'IMAGE:1',
  },
  {
    name: 'BUILDX_NO_DEFAULT_ATTESTATIONS=1 docker build + docker push',
    script: ['BUILDX_NO_DEFAULT_ATTESTATIONS=1 docker build -t IMAGE:1 .', 'docker push IMAGE:1'],
    pushed: 'IMAGE:1',
  },
  {
    name: 'the legacy builder (DOCKER_BUILDKIT=0) + docker push',
    script: ['DOCKER_BUILDKIT=0 docker build -t IMAGE:1 .', 'docker push IMAGE:1'],
    pushed: 'IMAGE:1',
  },
  {
    name: 'docker compose build + docker compose push',
    script: ['docker compose build', 'docker compose push'],
    files: { 'compose.yaml': COMPOSE },
    pushed: 'IMAGE:1',
  },
  {
    name: 'docker compose build --push with BUILDX_NO_DEFAULT_ATTESTATIONS in the step env',
    script: ['docker compose build --push'],
    env: { step: { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' } },
    files: { 'compose.yaml': COMPOSE },
    pushed: 'IMAGE:1',
  },
  {
    name: 'an opaque word that holds two platforms',
    script: [`docker buildx build ${OPAQUE} --push -t IMAGE:1 .`],
    expands: { [OPAQUE]: '--platform linux/amd64,linux/arm64' },
    pushed: 'IMAGE:1',
    refusedOn: 'classic',
  },
  {
    name: 'an opaque word that holds nothing',
    script: [`docker buildx build ${OPAQUE} --push -t IMAGE:1 .`],
    expands: { [OPAQUE]: '' },
    pushed: 'IMAGE:1',
  },
];

/** What the linter says of a case's push: the most severe attestation finding, or none. */
type Verdict = 'error' | 'warning' | 'note' | 'none';
/** What the registry serves for it. */
type Shape = 'attestation index' | 'multi-platform index' | 'plain manifest' | 'nothing';

const ATTESTATION_RULES = new Set(['single-platform-attestations', 'attestations-explicitly-enabled']);
const silent = cliLog({ write: () => undefined });
/** The pattern table, for people: case, store, verdict, what was served. */
const table: string[][] = [];

let registry: TestRegistry;
let context: ScratchContext;

beforeAll(async () => {
  registry = await startRegistry();
  context = scratchContext({ 'hello.txt': 'hello from the oracle\n' });
});
afterAll(async () => {
  await registry?.stop();
  context?.remove();
  if (table.length > 0) {
    const dir = join(__dirname, '..', '..', '.tmp');
    mkdirSync(dir, { recursive: true });
    const rows = table.map((row) => `| ${row.join(' | ')} |`).join('\n');
    writeFileSync(
      join(dir, 'lint-oracle.md'),
      `| pattern | store | linter | registry served |\n| --- | --- | --- | --- |\n${rows}\n`,
    );
  }
});

function workflowOf(oracle: OracleCase, runsOn: string, image: string): string {
  const env = (vars: Record<string, string> | undefined, indent: string) =>
    Object.entries(vars ?? {})
      .map(([name, value]) => `${indent}${name}: '${value}'\n`)
      .join('');
  const scope = (vars: Record<string, string> | undefined, indent: string) =>
    vars ? `${indent}env:\n${env(vars, `${indent}  `)}` : '';
  const stepEnv = oracle.env?.step ? `env:\n${env(oracle.env.step, '          ')}        ` : '';
  const run = oracle.script.map((line) => `          ${line.replace(/IMAGE/g, image)}\n`).join('');
  return (
    `on: push\n${scope(oracle.env?.workflow, '')}jobs:\n  build:\n    runs-on: ${runsOn}\n` +
    `${scope(oracle.env?.job, '    ')}    steps:\n      - ${stepEnv}run: |\n${run}`
  );
}

async function lint(workflow: string, policy: LintPolicy, files: Record<string, string> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'lint-oracle-'));
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(root, '.github', 'workflows', 'oracle.yml'), workflow);
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  try {
    return await lintRepository({ root, paths: [], policy, log: silent });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function verdictOf(findings: Finding[]): Verdict {
  const severities = findings.filter((f) => ATTESTATION_RULES.has(f.rule)).map((f) => f.severity);
  return (['error', 'warning', 'note'] as const).find((s) => severities.includes(s)) ?? 'none';
}

/** Runs a script's commands on the engine, as a step would: words split on blanks, `VAR=x` prefixes as env. */
async function run(script: string[], env: Record<string, string>, flavour: Flavour): Promise<boolean> {
  for (const line of script) {
    const words = line.split(/\s+/).filter((word) => word !== '');
    const prefix: Record<string, string> = {};
    while (/^[A-Z_]+=/.test(words[0])) {
      const [name, ...value] = (words.shift() as string).split('=');
      prefix[name] = value.join('=');
    }
    if (words.shift() !== 'docker') throw new Error(`not a docker command: ${line}`);
    const args = words.map((word) => (word === '.' ? context.dir : word));
    const result = await docker(args, { flavour, cwd: context.dir, env: { ...env, ...prefix } });
    if (result.code !== 0) return false;
  }
  return true;
}

async function shapeOf(ref: string): Promise<Shape> {
  const [repository, tag] = ref.slice(registry.host.length + 1).split(':');
  const manifest = await served(registry.host, repository, tag);
  if (manifest.status === 404) return 'nothing';
  if (!manifest.body.manifests) return 'plain manifest';
  const images = manifest.body.manifests.length - attestationChildren(manifest).length;
  return images > 1 ? 'multi-platform index' : 'attestation index';
}

/** An error or warning exactly when the push is an attestation index; a note may be anything. */
function agrees(verdict: Verdict, shape: Shape): boolean {
  if (verdict === 'note') return true;
  return (verdict === 'error' || verdict === 'warning') === (shape === 'attestation index');
}

/** docker compose is not part of scripts/engine.sh's install (Debian's docker-compose package adds it). */
function composeAvailable(flavour: Flavour): boolean {
  try {
    execFileSync('docker', ['compose', 'version'], {
      env: { ...process.env, ...engineEnv(flavour) },
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

const STORES: { flavour: Flavour; store: 'containerd' | 'classic' }[] = [
  { flavour: 'main', store: 'containerd' },
  { flavour: 'classic', store: 'classic' },
];

for (const { flavour, store } of STORES) {
  describeEngine(
    `the linter's predictions on the real engine, ${store} image store`,
    () => {
      const policy: LintPolicy = {
        ...DEFAULT_LINT_POLICY,
        imageStore: { labels: new Map([['fleet', store]]) },
      };

      const runnable = CASES.filter((oracle) => !oracle.files || composeAvailable(flavour));
      const skipped = CASES.filter((oracle) => !runnable.includes(oracle));
      if (skipped.length > 0)
        it.skip.each(skipped.map((oracle) => [oracle.name]))('%s (needs docker compose)', () => {});

      it.each(runnable.map((oracle) => [oracle.name, oracle] as const))('%s', async (_name, oracle) => {
        const slug = oracle.name
          .replace(/[^a-z0-9]+/gi, '-')
          .toLowerCase()
          .slice(0, 60);
        const linted = `ghcr.io/acme/${slug}`;
        const image = `${registry.host}/oracle-${store}/${slug}`;
        const files = (name: string) =>
          Object.fromEntries(
            Object.entries(oracle.files ?? {}).map(([path, text]) => [path, text.replace(/IMAGE/g, name)]),
          );
        const result = await lint(workflowOf(oracle, 'fleet', linted), policy, files(linted));
        const verdict = verdictOf(result.findings);
        if (store === 'containerd') {
          // GitHub's hosted Ubuntu runners are the containerd store without the policy saying so.
          const hosted = await lint(
            workflowOf(oracle, 'ubuntu-latest', linted),
            DEFAULT_LINT_POLICY,
            files(linted),
          );
          expect(verdictOf(hosted.findings)).toBe(verdict);
        }
        for (const [path, text] of Object.entries(files(image))) writeFileSync(join(context.dir, path), text);

        const env = { ...oracle.env?.workflow, ...oracle.env?.job, ...oracle.env?.step };
        const script = oracle.script.map((line) =>
          Object.entries(oracle.expands ?? {}).reduce(
            (text, [word, words]) => text.split(word).join(words),
            line.replace(/IMAGE/g, image),
          ),
        );
        const ran = await run(script, env, flavour);
        for (const path of Object.keys(oracle.files ?? {})) rmSync(join(context.dir, path));
        expect(ran).toBe(oracle.refusedOn !== flavour);
        const shape = await shapeOf(oracle.pushed.replace('IMAGE', image));
        table.push([oracle.name, store, verdict, ran ? shape : 'nothing (the build is refused)']);
        expect({ verdict, shape, agrees: agrees(verdict, shape) }).toEqual({ verdict, shape, agrees: true });
        if (verdict !== 'note') return;
        // A note names what it depends on; the outcome here is one of the shapes the rule tells apart.
        expect(['attestation index', 'multi-platform index', 'plain manifest']).toContain(shape);
      });

      it('pushes a plain manifest once --fix has fixed a docker build + docker push', async () => {
        const oracle = CASES.find((c) => c.name === 'docker build + docker push') as OracleCase;
        const workflow = workflowOf(oracle, 'fleet', 'IMAGE');
        const result = await lint(workflow, policy);
        const edits = [...result.fixes.values()].flat();
        if (store === 'classic') {
          expect(edits).toEqual([]);
          return;
        }
        const fixed = applyEdits(workflow, edits);
        expect(fixed).toContain('docker build --provenance=false --sbom=false -t IMAGE:1 .');
        expect(verdictOf((await lint(fixed, policy)).findings)).toBe('none');
        const image = `${registry.host}/oracle-fixed/${store}`;
        const script = /run: \|\n([\s\S]*)$/
          .exec(fixed)?.[1]
          .trim()
          .split('\n')
          .map((line) => line.trim().replace(/IMAGE/g, image));
        expect(await run(script ?? [], {}, flavour)).toBe(true);
        expect(await shapeOf(`${image}:1`)).toBe('plain manifest');
      });
    },
    flavour,
  );
}
