// Issue 11, item 7: bounded work on hostile input. Each case is what an attacker controls (a registry's index,
// a repository's workflow or policy), measured for time and size, with the bound it must stay under.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { verifyImages } from '../src/core/verification';
import { safeJson } from '../src/core/output/neutralize';
import { verifySummaryMarkdown } from '../src/core/verification/text';
import { compileGlob } from '../src/modes/lint/glob';
import { startHostileRegistry } from '../__tests__/support/hostile-registry';
import { DIST_CLI } from './lib/paths';
import { progress, quick, runBench } from './lib/section';

const MiB = 1024 * 1024;

/** `buildx-guard lint --format json` on a repository of one workflow: wall time and whether it finished. */
function lintOnce(workflow: string): { ms: number; status: number | null } {
  const root = mkdtempSync(join(tmpdir(), 'bxg-bench-hostile-'));
  try {
    mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(root, '.github', 'workflows', 'a.yml'), workflow);
    const start = performance.now();
    const run = spawnSync(process.execPath, [DIST_CLI, 'lint', '--format', 'json'], {
      cwd: root,
      timeout: 120_000,
      encoding: 'utf8',
    });
    return { ms: performance.now() - start, status: run.status };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function runScript(bytes: number): string {
  const line = '          docker tag acme/app:1 acme/app:$VERSION && echo "pushed $GITHUB_SHA" \\\n';
  const body = line.repeat(Math.ceil(bytes / line.length));
  return `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n${body}          true\n`;
}

runBench('hostile', async (section) => {
  const sizes = quick ? [256 * 1024] : [256 * 1024, MiB];
  const lintRows: (string | number)[][] = [];
  for (const size of sizes) {
    const run = lintOnce(runScript(size));
    lintRows.push([`run: script of ${size / 1024} KiB`, Math.round(run.ms), String(run.status)]);
    progress(`run: script ${size} bytes: ${Math.round(run.ms)} ms`);
  }
  const deep = 2 * MiB;
  const flow = lintOnce(`on: ${'['.repeat(deep)}${']'.repeat(deep)}\n`);
  lintRows.push([`flow sequences nested ${deep} deep (4 MiB)`, Math.round(flow.ms), String(flow.status)]);
  const atBound = lintOnce(`on: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
  lintRows.push([
    'flow sequences nested 20,000 deep (the bound)',
    Math.round(atBound.ms),
    String(atBound.status),
  ]);
  section.tables.push({
    caption: 'lint on hostile workflows',
    columns: ['input', 'ms', 'exit'],
    rows: lintRows,
  });

  // ignore-paths: a glob that backtracks polynomially as a RegExp.
  const glob = compileGlob(`${'*a'.repeat(17)}b`);
  const globRows: (string | number)[][] = [];
  for (const length of [34, 10_000, 100_000]) {
    const start = performance.now();
    glob.test('a'.repeat(length));
    globRows.push([length, (performance.now() - start).toFixed(2)]);
  }
  section.tables.push({
    caption: "ignore-paths glob `*a*a…*ab` (17 stars) against a file name of a's",
    columns: ['name length', 'ms'],
    rows: globRows,
  });

  // One 4 MiB index repeating one child, and an index at the children bound repeating it.
  const registry = await startHostileRegistry();
  const indexRows: (string | number)[][] = [];
  try {
    const config = registry.blob('rep/app', { os: 'linux', architecture: 'amd64' });
    const image = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 37 },
      layers: [],
    };
    const child = registry.manifest('rep/app', image.mediaType, image);
    const entry = {
      mediaType: image.mediaType,
      digest: child,
      size: Buffer.byteLength(JSON.stringify(image)),
      platform: { os: 'linux', architecture: 'amd64' },
    };
    const entryBytes = Buffer.byteLength(JSON.stringify(entry)) + 1;
    for (const [tag, count] of [
      ['huge', Math.floor((4 * MiB - 200) / entryBytes)],
      ['bound', 1000],
    ] as const) {
      registry.manifest(
        'rep/app',
        'application/vnd.oci.image.index.v1+json',
        {
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: Array(count).fill(entry),
        },
        [tag],
      );
      const before = registry.requests.length;
      const start = performance.now();
      const report = await verifyImages(
        [`${registry.host}/rep/app:${tag}`],
        {
          shape: 'auto',
          platforms: [],
          attestations: 'deny',
          mediaTypes: 'any',
          verifyBlobs: false,
        },
        {
          insecureRegistries: [],
          // As the verify CLI runs: a reference that cannot be checked is a `could-not-check` entry.
          keepGoing: true,
          log: {
            info() {},
            warning() {},
            notice() {},
            error() {},
            debug() {},
            secret() {},
            group: (_n, fn) => fn(),
          },
        },
      );
      const heads = registry.requests.slice(before).filter((r) => r.method === 'HEAD').length;
      indexRows.push([
        `${count} children (${tag === 'huge' ? '4 MiB' : 'the bound'})`,
        Math.round(performance.now() - start),
        heads,
        safeJson(report).length,
        verifySummaryMarkdown(report).length,
        report.images[0].problems[0]?.code ?? 'ok',
      ]);
    }
  } finally {
    await registry.stop();
  }
  section.tables.push({
    caption: 'verify an index that repeats one child',
    columns: ['index', 'ms', 'HEADs', 'report bytes', 'summary bytes', 'verdict'],
    rows: indexRows,
  });

  const lintMs = lintRows.map((row) => Number(row[1]));
  section.targets.push(
    {
      name: 'every hostile workflow linted within 10 s',
      measured: `${Math.max(...lintMs)} ms at most`,
      met: Math.max(...lintMs) < 10_000,
    },
    {
      // Linear is 10× for 10× the name; the RegExp it replaces took over 120 s on 34 characters.
      name: 'the glob stays linear: 10× the name costs under 20× the time',
      measured: `${globRows[1][1]} ms for 10,000 characters, ${globRows[2][1]} ms for 100,000`,
      met: Number(globRows[2][1]) < 20 * Math.max(1, Number(globRows[1][1])),
    },
    {
      name: 'each distinct child requested once; report and summary under 1 MiB',
      measured: indexRows.map((row) => `${row[0]}: ${row[2]} HEADs, ${row[3]} / ${row[4]} bytes`).join('; '),
      met: indexRows.every((row) => Number(row[2]) <= 1 && Number(row[3]) < MiB && Number(row[4]) < MiB),
    },
  );
});
