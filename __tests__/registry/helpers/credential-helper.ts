// Writes a docker-credential-<name> program into a temp bin directory, for PATH, and a docker config using it.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type HelperBehaviour =
  /** server URL -> the answer docker-credential-* gives: Username and Secret. */
  | { answers: Record<string, { Username: string; Secret: string }> }
  | { garbage: string }
  | { exitStatus: number; stderr: string }
  | { hang: true };

export interface CredentialHelper {
  /** Prepend to PATH. */
  binDir: string;
  name: string;
  /** The server URLs the helper was asked for, in order. */
  asked(): string[];
}

export function writeCredentialHelper(name: string, behaviour: HelperBehaviour): CredentialHelper {
  const binDir = mkdtempSync(join(tmpdir(), 'bxg-helper-'));
  const askedLog = join(binDir, 'asked.log');
  const script = `#!/usr/bin/env node
const fs = require('node:fs');
const behaviour = ${JSON.stringify(behaviour)};
let input = '';
process.stdin.on('data', (d) => (input += d)).on('end', () => {
  if (process.argv[2] !== 'get') process.exit(3);
  fs.appendFileSync(${JSON.stringify(askedLog)}, input.trim() + '\\n');
  if (behaviour.hang) return setInterval(() => {}, 1000);
  if (behaviour.garbage !== undefined) return process.stdout.write(behaviour.garbage);
  if (behaviour.exitStatus !== undefined) { process.stderr.write(behaviour.stderr); process.exit(behaviour.exitStatus); }
  const answer = behaviour.answers[input.trim()];
  if (!answer) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); }
  process.stdout.write(JSON.stringify({ ServerURL: input.trim(), ...answer }));
});
`;
  const path = join(binDir, `docker-credential-${name}`);
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return {
    binDir,
    name,
    asked: () => (existsSync(askedLog) ? readFileSync(askedLog, 'utf8').trim().split('\n') : []),
  };
}

/** A DOCKER_CONFIG directory holding `config` as config.json. */
export function dockerConfigDir(config: object | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bxg-docker-config-'));
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

export function basicAuth(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`).toString('base64');
}
