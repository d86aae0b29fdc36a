// Runs the bundled action (`node dist/index.js`) the way a GitHub/Gitea/Forgejo runner does, or the CLI
// (`node dist/cli.js`): inputs as INPUT_<NAME> (upper case, hyphens kept) with action.yml's defaults filled in,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as temp files, and the docker test double first on PATH.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
export const DOUBLE_BIN = join(ROOT, '.tmp', 'bin');

export interface RunOptions {
  /** Extra environment; `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Fill in action.yml's defaults for inputs not given, as a runner does (default true). */
  defaults?: boolean;
  /** Where `${{ github.token }}` defaults point (a fake token by default). */
  githubToken?: string;
  timeoutMs?: number;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Everything the step wrote to GITHUB_OUTPUT, parsed. */
  outputs: Record<string, string>;
  /** The job summary the step appended to GITHUB_STEP_SUMMARY. */
  summary: string;
}

/** Variables the host may have (when these tests run in CI) that would change what the step does. */
const HOST_PREFIXES = [
  'INPUT_',
  'GITHUB_',
  'RUNNER_',
  'ACTIONS_',
  'BXG_',
  'BUILDX_',
  'DOCKER_',
  'BUILDX_GUARD_',
];

function actionDefaults(githubToken: string): Record<string, string> {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: unknown }>;
  };
  const defaults: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.default === undefined) continue;
    defaults[name] = String(spec.default).replace(/\$\{\{\s*github\.token\s*\}\}/g, githubToken);
  }
  return defaults;
}

/** @actions/core's file commands: `name<<DELIMITER` … `DELIMITER`, or `name=value`. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const [, name, marker] = heredoc;
      const end = lines.indexOf(marker, i + 1);
      if (end < 0) throw new Error(`output ${name}: no closing ${marker}`);
      outputs[name] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const plain = /^([^=]+)=(.*)$/.exec(lines[i]);
    if (plain) outputs[plain[1]] = plain[2];
  }
  return outputs;
}

function baseEnv(
  extra: Record<string, string | undefined>,
  files: { output: string; summary: string; temp: string },
) {
  const env: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!HOST_PREFIXES.some((prefix) => key.startsWith(prefix))) env[key] = value;
  }
  Object.assign(env, {
    PATH: [DOUBLE_BIN, process.env.PATH].join(delimiter),
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: files.temp,
    NO_COLOR: '1',
  });
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

async function runNode(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  options: RunOptions,
) {
  const dir = mkdtempSync(join(tmpdir(), 'bxg-step-'));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary'), temp: dir };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const childEnv = baseEnv(env, files);
  try {
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      const child = spawn(process.execPath, [join(ROOT, script), ...args], {
        cwd: options.cwd ?? ROOT,
        env: childEnv as NodeJS.ProcessEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000);
      child.on('error', reject);
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve({ code: exitCode, stdout: out, stderr: err });
      });
    });
    return {
      code,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
      summary: readFileSync(files.summary, 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `node dist/index.js` with these inputs, as a runner runs the action's step. */
export function runAction(inputs: Record<string, string>, options: RunOptions = {}): Promise<RunResult> {
  const all = {
    ...(options.defaults === false ? {} : actionDefaults(options.githubToken ?? 'ghs_fakeTokenForTests')),
    ...inputs,
  };
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(all))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return runNode('dist/index.js', [], { ...env, ...options.env }, options);
}

/** Runs `node dist/cli.js ARGS`. */
export function runCli(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return runNode('dist/cli.js', args, options.env ?? {}, options);
}
