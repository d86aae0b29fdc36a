// Runs an action's bundle the way a GitHub runner does: INPUT_* variables (with the action.yml defaults the
// runner fills in), GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files and the usual GITHUB_* context.
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The runner's name for an input's variable: upper case, spaces to underscores, hyphens kept. */
function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [inputVariable(name), value]));
}

/** The defaults a runner passes for inputs the workflow leaves out; `${{ github.token }}` becomes a fake token. */
export function actionDefaults(
  actionYmlPath: string,
  only?: (name: string) => boolean,
): Record<string, string> {
  const action = parse(readFileSync(actionYmlPath, 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>;
  };
  const defaults: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    if (input?.default === undefined || (only && !only(name))) continue;
    const value = String(input.default);
    defaults[name] = value.includes('${{') ? 'ghs_benchFakeToken0000000000000000000000' : value;
  }
  return defaults;
}

export interface RunnerFiles {
  dir: string;
  output: string;
  state: string;
  summary: string;
}

/** Fresh GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY files under `dir`. */
export function runnerFiles(dir: string): RunnerFiles {
  mkdirSync(dir, { recursive: true });
  const files = {
    dir,
    output: join(dir, 'output'),
    state: join(dir, 'state'),
    summary: join(dir, 'summary.md'),
  };
  for (const path of [files.output, files.state, files.summary]) writeFileSync(path, '');
  writeFileSync(join(dir, 'event.json'), '{}');
  return files;
}

/** The environment of a runner step (without inputs): this process's env minus stray INPUT_/STATE_, plus context. */
export function runnerEnv(files: RunnerFiles, path: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(INPUT_|STATE_|GITHUB_|RUNNER_)/.test(name)),
  );
  return {
    ...inherited,
    PATH: path,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: join(files.dir, 'event.json'),
    GITHUB_EVENT_NAME: 'push',
    GITHUB_WORKSPACE: files.dir,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: '0'.repeat(40),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_WORKFLOW: 'bench',
    GITHUB_JOB: 'build',
    GITHUB_ACTOR: 'bench',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_TEMP: files.dir,
  };
}

/** Parses a GITHUB_OUTPUT or GITHUB_STATE file (`name<<delimiter` blocks, or `name=value` lines). */
export function readCommandFile(path: string): Record<string, string> {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const values: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      if (end === -1) throw new Error(`${path}: no closing ${heredoc[2]} for ${heredoc[1]}`);
      values[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      values[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return values;
}

/** Installs a stub script as `docker` in `binDir`. */
export function installDocker(script: string, binDir: string): void {
  mkdirSync(binDir, { recursive: true });
  copyFileSync(script, join(binDir, 'docker'));
  chmodSync(join(binDir, 'docker'), 0o755);
}
