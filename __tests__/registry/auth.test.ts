// Every credential source against the real registry: htpasswd (Basic) and token auth with our token server.
import { CheckError } from '../../src/core/errors';
import { verifyReferences } from '../../src/core/verification';
import { parseReference } from '../../src/core/registry/reference';
import { htpasswdAuth, startRegistry, TestRegistry } from '../support/registry';
import { imageManifest, PushClient } from '../support/oci';
import { startTokenServer, TokenServer } from '../support/token-server';
import { buildxIndex, expectation } from './helpers/images';
import { basicAuth, dockerConfigDir, writeCredentialHelper } from './helpers/credential-helper';
import { recordingLog, RecordingLog } from './helpers/recording-log';
import { cleanEnv, noVerdict, runCli } from './helpers/cli';

const PASSWORD = 's3cret-Pa55word';

async function verifyWith(ref: string, env: NodeJS.ProcessEnv, log: RecordingLog = recordingLog()) {
  const report = await verifyReferences(
    [parseReference(ref)],
    expectation({ attestations: 'allow' }),
    { insecureRegistries: [], log },
    env,
  );
  return report.images[0];
}

/** The log must have masked the secrets and never have written them. */
function expectNoLeak(log: RecordingLog, ...secrets: string[]) {
  for (const secret of secrets) {
    expect(log.secrets).toContain(secret);
    expect(log.text()).not.toContain(secret);
  }
}

describe('htpasswd (Basic auth) through a docker config', () => {
  let registry: TestRegistry;
  let ref: string;
  beforeAll(async () => {
    registry = await startRegistry({ auth: htpasswdAuth({ alice: PASSWORD }) });
    await new PushClient(registry.url, { authorization: `Basic ${basicAuth('alice', PASSWORD)}` }).push(
      'private/app',
      ['v1'],
      imageManifest('linux/amd64', 'oci'),
    );
    ref = `${registry.host}/private/app:v1`;
  });
  afterAll(() => registry.stop());

  it.each([
    [
      'an auth field under the host key',
      () => ({ auths: { [registry.host]: { auth: basicAuth('alice', PASSWORD) } } }),
    ],
    [
      'username and password under a URL key',
      () => ({ auths: { [`http://${registry.host}/v2/`]: { username: 'alice', password: PASSWORD } } }),
    ],
  ])('%s', async (_name, config) => {
    const log = recordingLog();
    const report = await verifyWith(ref, cleanEnv({ DOCKER_CONFIG: dockerConfigDir(config()) }), log);
    expect(report.ok).toBe(true);
    expectNoLeak(log, PASSWORD, basicAuth('alice', PASSWORD));
  });

  it('without credentials it cannot check, and says how to log in', async () => {
    const outcome = verifyWith(ref, cleanEnv());
    await expect(outcome).rejects.toThrow(CheckError);
    await expect(outcome).rejects.toThrow(
      `${registry.host} asks for a user name and password, and /nonexistent/buildx-guard-tests/config.json has none for ${registry.host}: run docker login ${registry.host} (or set DOCKER_CONFIG).`,
    );
  });

  it('with a wrong password it cannot check, and never shows the password', async () => {
    const wrong = 'wrong-Pa55word';
    const log = recordingLog();
    const outcome = verifyWith(
      ref,
      cleanEnv({
        DOCKER_CONFIG: dockerConfigDir({ auths: { [registry.host]: { auth: basicAuth('alice', wrong) } } }),
      }),
      log,
    );
    await expect(outcome).rejects.toThrow(
      `${registry.host} refused the credentials for private/app (status 401`,
    );
    const message = await outcome.catch((error: Error) => error.message);
    expect(message).not.toContain(wrong);
    expectNoLeak(log, wrong);
  });

  it.each([
    [
      'a malformed docker config',
      () => ({
        DOCKER_CONFIG: dockerConfigDir(
          `{"auths": {"${registry.host}": {"auth": "${basicAuth('alice', PASSWORD)}"`,
        ),
      }),
    ],
    [
      'a credential helper that prints garbage',
      () => {
        const helper = writeCredentialHelper('bxggarbage', { garbage: `password=${PASSWORD}` });
        return {
          DOCKER_CONFIG: dockerConfigDir({ credsStore: 'bxggarbage' }),
          PATH: `${helper.binDir}:${process.env.PATH}`,
        };
      },
    ],
  ])('the CLI exits 2 on %s, with one line naming it and no secret', async (_name, env) => {
    const extra = env();
    const run = await runCli(['verify', ref], cleanEnv(extra));
    expect([run.status, noVerdict(run.stdout)]).toEqual([2, true]);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: Invalid (docker config|credential helper): /);
    expect(run.stderr).not.toContain(PASSWORD);
    expect(run.stderr).not.toContain(basicAuth('alice', PASSWORD));
  });

  it('the CLI uses a credential helper on PATH and prints no secret', async () => {
    const helper = writeCredentialHelper('bxgbasic', {
      answers: { [registry.host]: { Username: 'alice', Secret: PASSWORD } },
    });
    const env = cleanEnv({
      DOCKER_CONFIG: dockerConfigDir({ credHelpers: { [registry.host]: 'bxgbasic' } }),
      PATH: `${helper.binDir}:${process.env.PATH}`,
      BUILDX_GUARD_DEBUG: '1',
    });
    const run = await runCli(['verify', '--format', 'json', ref], env);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).images[0].ok).toBe(true);
    expect(helper.asked()).toEqual([registry.host]);
    expect(run.stderr).toContain('credentials for'); // the debug log ran, so there was output to leak into
    expect(`${run.stdout}${run.stderr}`).not.toContain(PASSWORD);
    expect(`${run.stdout}${run.stderr}`).not.toContain(basicAuth('alice', PASSWORD));
  });
});

describe('token auth with an RS256/x5c token server', () => {
  let tokens: TokenServer;
  let registry: TestRegistry;
  let ref: string;
  const IDENTITY_TOKEN = 'idt-0123456789abcdef';
  beforeAll(async () => {
    tokens = await startTokenServer({
      users: { alice: PASSWORD },
      identityTokens: { [IDENTITY_TOKEN]: 'alice' },
    });
    registry = await startRegistry({ auth: tokens.registryAuth });
    const admin = tokens.mint('admin', [{ type: 'repository', name: 'team/app', actions: ['pull', 'push'] }]);
    await new PushClient(registry.url, { authorization: `Bearer ${admin}` }).push(
      'team/app',
      ['v1'],
      buildxIndex(['linux/amd64', 'linux/arm64'], 'annotation'),
    );
    ref = `${registry.host}/team/app:v1`;
  });
  afterAll(async () => {
    await registry.stop();
    await tokens.stop();
  });
  beforeEach(() => tokens.requests.splice(0));

  it('a password goes to the realm as Basic, once for the whole index', async () => {
    const log = recordingLog();
    const env = cleanEnv({
      DOCKER_CONFIG: dockerConfigDir({ auths: { [registry.host]: { auth: basicAuth('alice', PASSWORD) } } }),
    });
    const report = await verifyWith(ref, env, log);
    expect([report.ok, report.children.length]).toEqual([true, 4]);
    expect(tokens.requests).toEqual([
      {
        method: 'GET',
        url: '/token?service=buildx-guard-registry&scope=repository%3Ateam%2Fapp%3Apull&account=alice',
        authorization: `Basic ${basicAuth('alice', PASSWORD)}`,
        body: '',
        grantedTo: 'alice',
      },
    ]);
    expectNoLeak(log, PASSWORD);
    const token = log.secrets.find((secret) => secret.split('.').length === 3)!;
    expect(token).toBeDefined();
    expect(log.text()).not.toContain(token);
  });

  it('an identity token goes through the refresh_token grant', async () => {
    const log = recordingLog();
    const env = cleanEnv({
      DOCKER_CONFIG: dockerConfigDir({
        auths: { [registry.host]: { auth: basicAuth('alice', 'ignored'), identitytoken: IDENTITY_TOKEN } },
      }),
    });
    expect((await verifyWith(ref, env, log)).ok).toBe(true);
    expect(tokens.requests).toHaveLength(1);
    const [request] = tokens.requests;
    expect([request.method, request.url, request.authorization, request.grantedTo]).toEqual([
      'POST',
      '/token',
      undefined,
      'alice',
    ]);
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: IDENTITY_TOKEN,
      service: 'buildx-guard-registry',
      scope: 'repository:team/app:pull',
      client_id: 'buildx-guard',
    });
    expectNoLeak(log, IDENTITY_TOKEN);
  });

  it('a credential helper answering <token> gives an identity token', async () => {
    const helper = writeCredentialHelper('bxgidt', {
      answers: { [registry.host]: { Username: '<token>', Secret: IDENTITY_TOKEN } },
    });
    const env = cleanEnv({
      DOCKER_CONFIG: dockerConfigDir({ credsStore: 'bxgidt' }),
      PATH: `${helper.binDir}:${process.env.PATH}`,
    });
    expect((await verifyWith(ref, env)).ok).toBe(true);
    expect(tokens.requests.map((r) => [r.method, r.grantedTo])).toEqual([['POST', 'alice']]);
  });

  it('without credentials an anonymous token is refused, and it cannot check', async () => {
    await expect(verifyWith(ref, cleanEnv())).rejects.toThrow(
      `the token server ${tokens.realm} refused anonymous access to team/app (status 401): run docker login ${registry.host}, or set DOCKER_CONFIG to a config with credentials.`,
    );
    expect(tokens.requests.map((r) => [r.method, r.authorization])).toEqual([['GET', undefined]]);
  });

  it('a wrong password is refused by the token server, and never shown', async () => {
    const log = recordingLog();
    const env = cleanEnv({
      DOCKER_CONFIG: dockerConfigDir({
        auths: { [registry.host]: { username: 'alice', password: 'nope-Pa55' } },
      }),
    });
    const outcome = verifyWith(ref, env, log);
    await expect(outcome).rejects.toThrow(
      `the token server ${tokens.realm} refused the credentials for ${registry.host} (status 401): run docker login ${registry.host} again.`,
    );
    expectNoLeak(log, 'nope-Pa55');
  });
});

describe('anonymous token auth', () => {
  it('fetches an anonymous token when the token server grants pulls', async () => {
    const tokens = await startTokenServer({ anonymousPull: true });
    const registry = await startRegistry({ auth: tokens.registryAuth });
    try {
      const admin = tokens.mint('admin', [
        { type: 'repository', name: 'public/app', actions: ['pull', 'push'] },
      ]);
      await new PushClient(registry.url, { authorization: `Bearer ${admin}` }).push(
        'public/app',
        ['v1'],
        imageManifest('linux/amd64', 'docker'),
      );
      const report = await verifyWith(`${registry.host}/public/app:v1`, cleanEnv());
      expect(report.ok).toBe(true);
      expect(tokens.requests.map((r) => [r.method, r.authorization, r.grantedTo])).toEqual([
        ['GET', undefined, 'anonymous'],
      ]);
    } finally {
      await registry.stop();
      await tokens.stop();
    }
  });
});
