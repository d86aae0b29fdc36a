// Issue 6, item 4: the whole build step, as a runner runs it, against docker/build-push-action's published
// bundle: the same single-platform push, the same buildx test double, the same real registry. Ours verifies
// what the registry serves afterwards; the anchor does not.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startBenchRegistry } from './lib/registry-process';
import { ACTION_YML, DIST_ACTION, DOCKER_DOUBLE, PROFILE_ACTION, STUBS } from './lib/paths';
import { lastLine, run, RunResult } from './lib/proc';
import { profileForced, profileRun } from './lib/profiling';
import {
  actionDefaults,
  inputEnv,
  installDocker,
  readCommandFile,
  RunnerFiles,
  runnerEnv,
  runnerFiles,
} from './lib/runner';
import { NotMeasured, progress, quick, runBench } from './lib/section';
import { ms, msSpread, ratio, summarize } from './lib/stats';

const ROUNDS = quick ? 2 : 7;

/** build-push-action's own inputs: ours minus the guard's (used when the anchor's action.yml is not beside it). */
const GUARD_INPUTS = new Set([
  'mode',
  'attestation-policy',
  'expect',
  'media-types',
  'verify',
  'verify-blobs',
  'insecure-registries',
  'images',
  'attestations',
  'workflows',
  'policy-file',
  'fail-on',
  'sarif-file',
]);

interface Variant {
  name: string;
  bundle: string;
  inputs: Record<string, string>;
  extraEnv: Record<string, string>;
  /** The anchor declares `post: dist/index.cjs`; a runner runs it at the end of the job. */
  hasPost: boolean;
}

interface DockerCall {
  command: string;
  ms: number;
  status: number;
}

interface StepRun {
  mainMs: number;
  postMs: number;
  /** The main step's docker calls. */
  docker: DockerCall[];
  outputs: Record<string, string>;
}

/** Lines of the timing wrapper: "<start ns> <end ns> <status> <argv...>". */
function parseDockerCalls(text: string): DockerCall[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [start, end, status, ...argv] = line.split(' ');
      const command = ['docker', ...argv.slice(0, argv[0] === 'buildx' ? 2 : 1)].join(' ');
      return { command, ms: (Number(end) - Number(start)) / 1e6, status: Number(status) };
    });
}

function anchorDefaults(anchor: string): { defaults: Record<string, string>; source: string } {
  const beside = join(dirname(dirname(anchor)), 'action.yml');
  if (existsSync(beside)) return { defaults: actionDefaults(beside), source: beside };
  return {
    defaults: actionDefaults(ACTION_YML, (name) => !GUARD_INPUTS.has(name)),
    source: "this repository's action.yml (build-push-action's inputs only)",
  };
}

function failure(variant: Variant, result: RunResult): string {
  return `${variant.name} exited ${result.code}: ${lastLine(
    result.stdout
      .split('\n')
      .filter((l) => l.startsWith('::error'))
      .join('\n') || result.stdout + result.stderr,
  )}`;
}

runBench('e2e', async (section) => {
  if (!existsSync(DOCKER_DOUBLE)) throw new NotMeasured('the buildx test double did not build (see Setup)');
  const anchor = process.env.BENCH_ANCHOR_BPA;
  if (anchor && !existsSync(anchor)) throw new NotMeasured(`BENCH_ANCHOR_BPA=${anchor} does not exist`);

  const work = mkdtempSync(join(tmpdir(), 'bxg-bench-e2e-'));
  const registry = await startBenchRegistry();
  try {
    const context = join(work, 'context');
    mkdirSync(context);
    writeFileSync(join(context, 'Dockerfile'), 'FROM alpine:3.20\nRUN echo bench > /bench.txt\n');
    const binDir = join(work, 'bin');
    installDocker(join(STUBS, 'docker-timing.sh'), binDir);
    const calls = join(work, 'docker-calls');
    const home = join(work, 'home');
    mkdirSync(home);

    const push = (tag: string) => ({ context, push: 'true', tags: `${registry.host}/bench/e2e:${tag}` });
    const guard: Variant = {
      name: 'buildx-guard (build mode, verifies)',
      bundle: DIST_ACTION,
      inputs: { ...actionDefaults(ACTION_YML), ...push('guard') },
      extraEnv: {},
      hasPost: false,
    };
    const variants: Variant[] = [guard];
    if (anchor) {
      const { defaults, source } = anchorDefaults(anchor);
      // Both would reach GitHub's API on a real runner (build summary and record upload); there is no network here.
      const anchorEnv = { DOCKER_BUILD_SUMMARY: 'false', DOCKER_BUILD_RECORD_UPLOAD: 'false' };
      variants.push(
        {
          name: 'build-push-action, same `with:`',
          bundle: anchor,
          inputs: { ...defaults, ...push('anchor') },
          extraEnv: anchorEnv,
          hasPost: true,
        },
        {
          name: 'build-push-action, `provenance: false`, `sbom: false`',
          bundle: anchor,
          inputs: { ...defaults, ...push('anchor-plain'), provenance: 'false', sbom: 'false' },
          extraEnv: anchorEnv,
          hasPost: true,
        },
      );
      section.notes.push(
        `Anchor: \`${anchor}\` (BENCH_ANCHOR_BPA), input defaults from ${source}. It runs with DOCKER_BUILD_SUMMARY=false and DOCKER_BUILD_RECORD_UPLOAD=false, which skips work it would do on a real runner (in its favour).`,
      );
    }

    const stepEnv = (variant: Variant, files: RunnerFiles): NodeJS.ProcessEnv => ({
      ...runnerEnv(files, `${binDir}:${process.env.PATH}`),
      HOME: home,
      BENCH_DOCKER_DOUBLE: DOCKER_DOUBLE,
      BENCH_DOCKER_CALLS: calls,
      ...variant.extraEnv,
      ...inputEnv(variant.inputs),
    });
    const runStep = async (variant: Variant, round: number): Promise<StepRun> => {
      const files = runnerFiles(join(work, `runner-${round}-${variants.indexOf(variant)}`));
      const env = stepEnv(variant, files);
      writeFileSync(calls, '');
      const main = await run(process.execPath, [variant.bundle], { env, cwd: work });
      if (main.code !== 0) throw new Error(failure(variant, main));
      const docker = parseDockerCalls(readFileSync(calls, 'utf8'));
      let postMs = 0;
      if (variant.hasPost) {
        const state = Object.entries(readCommandFile(files.state)).map(([name, value]) => [
          `STATE_${name}`,
          value,
        ]);
        const post = await run(process.execPath, [variant.bundle], {
          env: { ...env, ...Object.fromEntries(state) },
          cwd: work,
        });
        if (post.code !== 0) throw new Error(`${failure(variant, post)} (post step)`);
        postMs = post.wallMs;
      }
      return {
        mainMs: main.wallMs,
        postMs,
        docker,
        outputs: readCommandFile(files.output),
      };
    };

    progress(`${ROUNDS} rounds (+1 warm-up) of ${variants.map((v) => v.name).join(' / ')}`);
    const runs = new Map<Variant, StepRun[]>(variants.map((v) => [v, []]));
    const failed = new Set<Variant>();
    for (let round = 0; round <= ROUNDS; round++) {
      for (const variant of variants.filter((v) => !failed.has(v))) {
        try {
          const result = await runStep(variant, round);
          if (round > 0) runs.get(variant)!.push(result);
        } catch (error) {
          // Our own step failing is the finding; an anchor variant failing leaves the rest measurable.
          if (variant === guard) throw new NotMeasured((error as Error).message);
          section.notes.push(`Not measured: ${(error as Error).message}`);
          failed.add(variant);
        }
      }
    }
    const measured = variants.filter((v) => !failed.has(v));

    const ours = summarize(runs.get(guard)!.map((r) => r.mainMs)).median;
    section.tables.push({
      caption: `\`node <bundle>\` with INPUT_* and GITHUB_* as a runner sets them, spawn to exit; median (p25–p75) of ${ROUNDS} interleaved rounds after a warm-up round. Docker calls go through bench/stubs/docker-timing.sh to the buildx test double, which pushes to the real registry.`,
      columns: [
        'step',
        'main step',
        'vs ours',
        'post step',
        'docker calls',
        'time in docker',
        'time outside docker',
        'pushed',
      ],
      rows: measured.map((variant) => {
        const list = runs.get(variant)!;
        const main = summarize(list.map((r) => r.mainMs));
        const inDocker = summarize(list.map((r) => r.docker.reduce((sum, call) => sum + call.ms, 0)));
        const outside = summarize(
          list.map((r) => r.mainMs - r.docker.reduce((sum, call) => sum + call.ms, 0)),
        );
        const last = list[list.length - 1];
        const metadata = JSON.parse(last.outputs.metadata || '{}') as Record<string, { mediaType?: string }>;
        return [
          variant.name,
          msSpread(main),
          ratio(main.median, ours),
          variant.hasPost ? ms(summarize(list.map((r) => r.postMs)).median) : '—',
          last.docker
            .map((call) => `${call.command}${call.status === 0 ? '' : ` (exit ${call.status})`}`)
            .join('; '),
          ms(inDocker.median),
          ms(outside.median),
          last.outputs['media-type'] || metadata['containerimage.descriptor']?.mediaType || '?',
        ];
      }),
    });

    const sameWith = variants[1];
    if (!sameWith || failed.has(sameWith)) {
      section.targets.push({
        name: 'ours is no slower than build-push-action (main step, same `with:`)',
        measured: anchor
          ? 'anchor not measured: it failed (see notes)'
          : 'anchor not measured: BENCH_ANCHOR_BPA is not set',
        met: null,
      });
      return;
    }
    const theirs = summarize(runs.get(sameWith)!.map((r) => r.mainMs)).median;
    section.targets.push({
      name: 'ours is no slower than build-push-action (main step, same `with:`)',
      measured: `${ms(ours)} vs ${ms(theirs)}: ${ratio(ours, theirs)}`,
      met: ours <= theirs,
    });
    if (ours > theirs || profileForced) {
      progress('profiling our build step');
      section.profiles.push(
        await profileRun(
          'build mode, single-platform push with verification (unminified build)',
          PROFILE_ACTION,
          [],
          {
            env: stepEnv(guard, runnerFiles(join(work, 'runner-profile'))),
            cwd: work,
          },
        ),
      );
    }
  } finally {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
