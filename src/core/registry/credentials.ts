// Registry credentials the way the docker CLI finds them: credHelpers[host], then credsStore, then auths.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors';
import { Log } from '../output/log';
import { isObject, parseJson } from './json';
import { DOCKER_HUB, DOCKER_HUB_API, DOCKER_HUB_CONFIG_KEY } from './reference';

export type Credential =
  | { kind: 'basic'; username: string; password: string }
  /** An identity (refresh) token, exchanged at the token realm through the refresh_token grant. */
  | { kind: 'identity-token'; token: string };

export interface DockerConfig {
  path: string;
  auths: Record<string, AuthEntry>;
  credHelpers: Record<string, string>;
  credsStore?: string;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

/** Where a credential may come from, in the order docker looks. */
export type CredentialSource =
  { helper: string; serverUrl: string; origin: string } | { entry: AuthEntry; key: string };

/** What running `docker-credential-<name> get` gave: its exit status (-1 if it did not exit) and output. */
interface HelperResult {
  status: number;
  stdout: string;
  stderr: string;
  notOnPath?: boolean;
  timedOut?: boolean;
}

const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HUB_ALIASES = ['index.docker.io', DOCKER_HUB, DOCKER_HUB_API];

function dockerConfigPath(env: NodeJS.ProcessEnv): string {
  return join(env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json');
}

/** The docker config, or an empty one when the file does not exist. */
async function loadDockerConfig(path: string): Promise<DockerConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return parseDockerConfig('{}', path);
    throw new InputError(
      'docker config',
      path,
      `It cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): make it a readable file, or set DOCKER_CONFIG to another directory.`,
    );
  }
  return parseDockerConfig(text, path);
}

/** Parses config.json. Error messages never quote the file: it holds secrets. */
export function parseDockerConfig(text: string, path: string): DockerConfig {
  const invalid = (what: string) =>
    new InputError(
      'docker config',
      path,
      `${what}: fix it, or set DOCKER_CONFIG to a directory with a valid config.json.`,
    );
  const data = parseJson(text);
  if (data === undefined) throw invalid('It is not valid JSON');
  if (!isObject(data)) throw invalid('It is not a JSON object');
  const auths = data.auths ?? {};
  const credHelpers = data.credHelpers ?? {};
  if (!isObject(auths) || !Object.values(auths).every(isObject)) {
    throw invalid('"auths" must map hosts to objects');
  }
  if (!isObject(credHelpers) || !Object.values(credHelpers).every((v) => typeof v === 'string')) {
    throw invalid('"credHelpers" must map hosts to helper names');
  }
  if (data.credsStore !== undefined && typeof data.credsStore !== 'string') {
    throw invalid('"credsStore" must be a string');
  }
  for (const [key, entry] of Object.entries(auths as Record<string, Record<string, unknown>>)) {
    for (const field of ['auth', 'username', 'password', 'identitytoken']) {
      if (entry[field] !== undefined && typeof entry[field] !== 'string') {
        throw invalid(`"auths" entry "${key}" has a "${field}" that is not a string`);
      }
    }
  }
  return {
    path,
    auths: auths as Record<string, AuthEntry>,
    credHelpers: credHelpers as Record<string, string>,
    ...(data.credsStore ? { credsStore: data.credsStore } : {}),
  };
}

/** The places to ask for `domain`'s credentials, in docker's order (credHelpers, credsStore, auths). */
export function credentialSources(config: DockerConfig, domain: string): CredentialSource[] {
  const serverUrl = domain === DOCKER_HUB ? DOCKER_HUB_CONFIG_KEY : domain;
  const sources: CredentialSource[] = [];
  const helperKey = findKey(config.credHelpers, domain);
  if (helperKey !== undefined) {
    sources.push({ helper: config.credHelpers[helperKey], serverUrl, origin: `credHelpers["${helperKey}"]` });
  }
  if (config.credsStore) sources.push({ helper: config.credsStore, serverUrl, origin: 'credsStore' });
  const authKey = findKey(config.auths, domain);
  if (authKey !== undefined) sources.push({ entry: config.auths[authKey], key: authKey });
  return sources;
}

/** The config key for `domain`: an exact match first, then any key naming the same host (keys may be URLs). */
function findKey(record: Record<string, unknown>, domain: string): string | undefined {
  const exact = domain === DOCKER_HUB ? DOCKER_HUB_CONFIG_KEY : domain;
  if (Object.hasOwn(record, exact)) return exact;
  const hosts = domain === DOCKER_HUB ? HUB_ALIASES : [domain.toLowerCase()];
  return Object.keys(record).find((key) => hosts.includes(keyHost(key)));
}

/** `https://index.docker.io/v1/` -> `index.docker.io`, as the docker CLI's ConvertToHostname. */
export function keyHost(key: string): string {
  return key
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .split('/')[0]
    .toLowerCase();
}

/** Decodes an auths entry; undefined for an empty one (credsStore configs leave `{}` behind). */
export function credentialFromEntry(entry: AuthEntry, key: string, path: string): Credential | undefined {
  if (entry.identitytoken) return { kind: 'identity-token', token: entry.identitytoken };
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(entry.auth) || colon <= 0) {
      throw new InputError(
        'docker config',
        path,
        `The "auth" of auths["${key}"] is not base64 of user:password: run docker login again.`,
      );
    }
    return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (entry.username && entry.password) {
    return { kind: 'basic', username: entry.username, password: entry.password };
  }
  return undefined;
}

/** Reads a helper's answer; `<token>` as the user name means the secret is an identity token, as in docker. */
export function credentialFromHelper(
  stdout: string,
  program: string,
  origin: string,
  path: string,
): Credential {
  const data = parseJson(stdout);
  if (
    !isObject(data) ||
    typeof data.Username !== 'string' ||
    typeof data.Secret !== 'string' ||
    !data.Secret
  ) {
    throw new InputError(
      'credential helper',
      program,
      `It printed something other than {"Username": ..., "Secret": ...}: fix the helper, or remove ${origin} from ${path}.`,
    );
  }
  if (data.Username === '<token>') return { kind: 'identity-token', token: data.Secret };
  return { kind: 'basic', username: data.Username, password: data.Secret };
}

/** Looks credentials up on demand, once per registry, and masks every secret it finds. */
export class CredentialStore {
  private config?: Promise<DockerConfig>;
  private readonly found = new Map<string, Promise<Credential | undefined>>();

  constructor(
    private readonly log: Log,
    private readonly timeoutMs: number,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Where the credentials come from, for messages. */
  get configPath(): string {
    return dockerConfigPath(this.env);
  }

  get(domain: string): Promise<Credential | undefined> {
    let credential = this.found.get(domain);
    if (!credential) {
      credential = this.lookup(domain);
      this.found.set(domain, credential);
    }
    return credential;
  }

  private async lookup(domain: string): Promise<Credential | undefined> {
    this.config ??= loadDockerConfig(this.configPath);
    const config = await this.config;
    for (const source of credentialSources(config, domain)) {
      const credential =
        'helper' in source
          ? await this.fromHelper(source, config.path)
          : credentialFromEntry(source.entry, source.key, config.path);
      if (credential) {
        this.mask(credential);
        this.log.debug(
          `credentials for ${domain} from ${'helper' in source ? source.origin : `auths["${source.key}"]`}`,
        );
        return credential;
      }
    }
    return undefined;
  }

  private async fromHelper(source: { helper: string; serverUrl: string; origin: string }, path: string) {
    const program = `docker-credential-${source.helper}`;
    if (!HELPER_NAME.test(source.helper)) {
      throw new InputError(
        'docker config',
        path,
        `${source.origin} names "${source.helper}", which is not a helper name.`,
      );
    }
    const result = await runCredentialHelper(program, source.serverUrl, this.timeoutMs, this.env);
    const remove = `or remove ${source.origin} from ${path}.`;
    if (result.notOnPath) {
      throw new InputError('credential helper', program, `It is not on PATH: install it, ${remove}`);
    }
    if (result.timedOut) {
      throw new InputError(
        'credential helper',
        program,
        `It did not answer within ${this.timeoutMs} ms: fix it, ${remove}`,
      );
    }
    // Helpers say "credentials not found in native keychain" with a non-zero status: that is no credential.
    const output = `${result.stdout}\n${result.stderr}`;
    if (result.status !== 0 && /credentials not found/i.test(output)) return undefined;
    if (result.status !== 0) {
      throw new InputError(
        'credential helper',
        program,
        `\`${program} get\` failed with exit status ${result.status} for ${source.serverUrl}: run it by hand to see why, ${remove}`,
      );
    }
    return credentialFromHelper(result.stdout, program, source.origin, path);
  }

  private mask(credential: Credential): void {
    if (credential.kind === 'identity-token') {
      this.log.secret(credential.token);
      return;
    }
    this.log.secret(credential.password);
    this.log.secret(basicToken(credential.username, credential.password));
  }
}

/** The value of a Basic Authorization header (without the scheme). */
export function basicToken(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/** How long a helper that ignores SIGTERM at its deadline gets before its whole process group is killed. */
const KILL_GRACE_MS = 1000;

/**
 * Runs a helper (an argv, never a shell), feeding the server URL on stdin. It runs in a
 * process group of its own: at the deadline the group gets SIGTERM, and SIGKILL after a grace period, so
 * neither the helper nor anything it started outlives the bound, whatever signals it ignores.
 */
function runCredentialHelper(
  program: string,
  serverUrl: string,
  timeoutMs: number,
  env: NodeJS.ProcessEnv,
): Promise<HelperResult> {
  return new Promise((resolve) => {
    let timedOut = false;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const out = { stdout: '', stderr: '' };
    const finish = (result: HelperResult) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      resolve(result);
    };
    // Its own process group (detached), so the group can be killed; never a shell.
    const child = spawn(program, ['get'], { env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (out[stream].length < 1024 * 1024) out[stream] += chunk.toString('utf8');
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    child.once('error', (error: NodeJS.ErrnoException) =>
      finish({ status: -1, ...out, ...(error.code === 'ENOENT' ? { notOnPath: true } : {}) }),
    );
    child.once('close', (code) => finish({ status: timedOut ? -1 : (code ?? -1), ...out, timedOut }));
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // the group is gone already
      }
    };
    timers.push(
      setTimeout(() => {
        timedOut = true;
        killGroup('SIGTERM');
        timers.push(
          setTimeout(() => {
            killGroup('SIGKILL');
            // A grandchild that left the group may hold the pipes open: do not wait for them.
            child.stdout.destroy();
            child.stderr.destroy();
            finish({ status: -1, ...out, timedOut });
          }, KILL_GRACE_MS),
        );
      }, timeoutMs),
    );
    child.stdin?.on('error', () => undefined); // a helper that exits without reading stdin is not our failure
    child.stdin?.end(serverUrl);
  });
}
