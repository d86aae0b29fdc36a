// Starts the real CNCF distribution registry (Debian's docker-registry) on 127.0.0.1 with a random port.
import { spawn, ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

export interface RegistryOptions {
  /** The registry config's `auth` section, as distribution documents it. */
  auth?: Record<string, unknown>;
  /** PEM files for TLS. */
  tls?: { certificate: string; key: string };
  /** Whether DELETE is allowed (default true); false answers 405 UNSUPPORTED, as many registries do. */
  delete?: boolean;
}

export interface TestRegistry {
  /** host:port, as it goes into an image reference. */
  host: string;
  /** Base URL, http:// or https://. */
  url: string;
  rootDir: string;
  configPath: string;
  /** Everything the registry printed so far. */
  log(): string;
  /** Runs `docker-registry garbage-collect` over this registry's storage (stop it first for a consistent view). */
  garbageCollect(args?: string[]): string;
  stop(): Promise<void>;
}

const LISTENING = /listening on (\S+?):(\d+)/;

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'bxg-registry-'));
  const rootDir = join(dir, 'data');
  const config = {
    version: 0.1,
    log: { level: 'info', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: rootDir },
      delete: { enabled: options.delete ?? true },
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: {
      addr: '127.0.0.1:0',
      secret: 'buildx-guard-tests',
      ...(options.tls ? { tls: options.tls } : {}),
    },
    ...(options.auth ? { auth: options.auth } : {}),
  };
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, JSON.stringify(config));

  const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`docker-registry did not start:\n${output}`)), 10_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run docker-registry (apt-get install -y docker-registry): ${err.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`docker-registry exited with ${code}:\n${output}`));
    });
    // Keep draining stderr for the registry's whole life, or it blocks on a full pipe. Only the start is
    // searched for the port: matching the whole growing log on every chunk would cost its square.
    let listening = false;
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (listening) return;
      const match = LISTENING.exec(output);
      if (match) {
        listening = true;
        clearTimeout(timer);
        resolve(match[2]);
      }
    });
  });
  child.removeAllListeners('exit');

  const host = `127.0.0.1:${port}`;
  return {
    host,
    url: `${options.tls ? 'https' : 'http'}://${host}`,
    rootDir,
    configPath,
    log: () => output,
    garbageCollect: (args = []) =>
      execFileSync('docker-registry', ['garbage-collect', ...args, configPath], { encoding: 'utf8' }),
    stop: () => stopChild(child).then(() => rmSync(dir, { recursive: true, force: true })),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The registry config's auth section for htpasswd users, with bcrypt lines written to a temp file. */
export function htpasswdAuth(users: Record<string, string>): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'bxg-htpasswd-'));
  const path = join(dir, 'htpasswd');
  const lines = Object.entries(users).map(([user, password]) => `${user}:${bcrypt.hashSync(password, 5)}`);
  writeFileSync(path, lines.join('\n') + '\n');
  return { htpasswd: { realm: 'buildx-guard-tests', path } };
}
