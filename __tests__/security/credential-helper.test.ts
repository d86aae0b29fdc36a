// Class 7: a credential helper that ignores SIGTERM (and starts a child of its own) does not outlive its bound.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialStore } from '../../src/core/registry/credentials';
import { recordingLog } from '../registry/helpers/recording-log';

/** Running, not a zombie waiting for a parent (in a container, pid 1 may never reap the orphans). */
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

it('kills the helper and what it started after a grace period, and says it did not answer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bxg-stubborn-'));
  const pids = join(dir, 'pids');
  writeFileSync(
    join(dir, 'docker-credential-stubborn'),
    `#!/bin/sh\ntrap '' TERM\nsleep 30 &\necho "$$ $!" > ${pids}\nwait\nsleep 30\n`,
  );
  chmodSync(join(dir, 'docker-credential-stubborn'), 0o755);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ credHelpers: { 'reg.one': 'stubborn' } }));
  const env = { PATH: `${dir}:${process.env.PATH}`, DOCKER_CONFIG: dir };
  const store = new CredentialStore(recordingLog(), 300, env);
  await expect(store.get('reg.one')).rejects.toThrow('It did not answer within 300 ms');
  const [helper, child] = readFileSync(pids, 'utf8').trim().split(' ').map(Number);
  // SIGKILL reaches the group at once; give the kernel a moment to reap.
  for (let i = 0; i < 50 && (alive(helper) || alive(child)); i++) await new Promise((r) => setTimeout(r, 20));
  expect([alive(helper), alive(child)]).toEqual([false, false]);
});
