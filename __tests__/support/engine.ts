// The real engine (dockerd + buildx + BuildKit, started by scripts/engine.sh) for tests: whether it is up, the
// environment that points docker at it, FROM scratch build contexts, and running docker command lists against the
// containerd image store (`main`) or the classic store (`classic`).
//
// Nothing here may make BuildKit pull: contexts are FROM scratch (or a stage, or an image on 127.0.0.1), and SBOM
// is refused (BuildKit would pull its scanner image from Docker Hub).
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';

export type Flavour = 'main' | 'classic';

const status = require('./engine-status.js') as {
  readEngineEnv(flavour: Flavour): Record<string, string> | null;
  enginesUp(): Flavour[];
  skippedTitle(flavour: Flavour, name: string): string;
};

/** True when scripts/engine.sh started this engine and it answers (probed once per run). */
export function engineAvailable(flavour: Flavour = 'main'): boolean {
  return status.enginesUp().includes(flavour);
}

/**
 * A describe block that runs only when the engine is up; otherwise it is skipped under a title the engine
 * reporter lists once at the end of the run.
 */
export function describeEngine(name: string, fn: () => void, flavour: Flavour = 'main'): void {
  if (engineAvailable(flavour)) describe(name, fn);
  else describe.skip(status.skippedTitle(flavour, name), fn);
}

/**
 * The variables that point docker at the engine: its own CLI first on PATH (the buildx plugin beside it, not
 * whatever docker the host has), its socket and its own config directory. Pass as `env` to runAction/runCli.
 */
export function engineEnv(flavour: Flavour = 'main'): Record<string, string> {
  const env = status.readEngineEnv(flavour);
  if (!env) throw new Error(`the ${flavour} engine is not running: scripts/engine.sh start${flag(flavour)}`);
  return {
    PATH: [env.BUILDX_GUARD_ENGINE_BIN, process.env.PATH].join(delimiter),
    DOCKER_HOST: env.DOCKER_HOST,
    DOCKER_CONFIG: env.DOCKER_CONFIG,
  };
}

const flag = (flavour: Flavour) => (flavour === 'classic' ? ' --classic' : '');

/** Host variables that would change what docker does (contexts, builders, default attestations). */
const HOST_PREFIXES = ['DOCKER_', 'BUILDX_', 'BUILDKIT_'];

function childEnv(flavour: Flavour, extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!HOST_PREFIXES.some((prefix) => key.startsWith(prefix))) env[key] = value;
  }
  Object.assign(env, engineEnv(flavour), { NO_COLOR: '1' });
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env as NodeJS.ProcessEnv;
}

/** Throws for an argv that would make BuildKit or dockerd pull from outside 127.0.0.1. */
export function assertNoPull(args: string[]): void {
  const sbomValue = (i: number) =>
    args[i] === '--sbom' ? args[i + 1] : args[i].startsWith('--sbom=') ? args[i].slice(7) : undefined;
  const bad = args.find((arg, i) => {
    const sbom = sbomValue(i);
    return (
      (i === 0 && arg === 'pull') ||
      /^--pull(=true)?$/.test(arg) ||
      (sbom !== undefined && !/^(false|0)$/.test(sbom)) ||
      /(^|[,=])type=sbom(,|$)/.test(arg)
    );
  });
  if (bad !== undefined)
    throw new Error(`refusing to run docker ${args.join(' ')}: ${bad} would make the engine pull an image`);
}

export interface DockerResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface DockerOptions {
  flavour?: Flavour;
  cwd?: string;
  /** Extra environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Runs the engine's docker CLI with this argv (no shell). */
export function docker(args: string[], options: DockerOptions = {}): Promise<DockerResult> {
  assertNoPull(args);
  const flavour = options.flavour ?? 'main';
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, {
      cwd: options.cwd,
      env: childEnv(flavour, options.env ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface CommandResult extends DockerResult {
  argv: string[];
}

/**
 * Runs a list of docker commands (each an argv starting with `docker`) one after another against one store, as a
 * workflow's steps would, and returns each one's result. It stops after the first failure unless `keepGoing`.
 */
export async function runCommands(
  commands: string[][],
  options: DockerOptions & { keepGoing?: boolean } = {},
): Promise<CommandResult[]> {
  for (const argv of commands) {
    if (argv[0] !== 'docker') throw new Error(`not a docker command: ${argv.join(' ')}`);
    assertNoPull(argv.slice(1));
  }
  const results: CommandResult[] = [];
  for (const argv of commands) {
    const result = await docker(argv.slice(1), options);
    results.push({ argv, ...result });
    if (result.code !== 0 && !options.keepGoing) break;
  }
  return results;
}

const FROM = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/gim;

/** Throws unless every FROM is scratch, an earlier stage, a named build context or an image on 127.0.0.1. */
export function assertScratchOnly(dockerfile: string, contexts: string[] = []): void {
  const stages = new Set<string>(contexts);
  for (const match of dockerfile.matchAll(FROM)) {
    const [, image, alias] = match;
    const local = image === 'scratch' || stages.has(image.toLowerCase()) || image.startsWith('127.0.0.1:');
    if (!local) throw new Error(`FROM ${image} would make the engine pull: use FROM scratch`);
    if (alias) stages.add(alias.toLowerCase());
  }
}

export interface ScratchContext {
  dir: string;
  remove(): void;
}

/**
 * A build context in a temp dir: `files` (relative path → content) plus a Dockerfile, FROM scratch + COPY unless
 * given. `contexts` names the --build-context names FROM lines may use. Every file named like a Dockerfile is
 * checked to pull nothing.
 */
export function scratchContext(
  files: Record<string, string> = { 'hello.txt': 'hello\n' },
  dockerfile = 'FROM scratch\nCOPY . /\n',
  contexts: string[] = [],
): ScratchContext {
  const all = { Dockerfile: dockerfile, ...files };
  for (const [path, content] of Object.entries(all)) {
    if (/dockerfile/i.test(basename(path))) assertScratchOnly(content, contexts);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bxg-engine-ctx-'));
  for (const [path, content] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
