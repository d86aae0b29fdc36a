// Faults the registry tests (__tests__/registry/faults.test.ts) leave out: the token realm misbehaving, faults
// that persist on an index's children and blobs, and a fault seen through the action. Same rules: retried
// faults recover within the bound, others cannot be checked (exit 2), nothing hangs, credentials stay put.
import { startRegistry, TestRegistry } from '../support/registry';
import { PushClient } from '../support/oci';
import {
  FaultProxy,
  FaultRule,
  RecordingServer,
  startFaultProxy,
  startRecordingServer,
} from '../support/fault-proxy';
import { startTokenServer, TokenServer } from '../support/token-server';
import { RunResult, runAction, runCli } from '../support/action-runner';
import { basicAuth, dockerConfigDir } from '../registry/helpers/credential-helper';
import { ConnectProxy, startConnectProxy } from '../registry/helpers/connect-proxy';
import { buildxIndex } from '../registry/helpers/images';
import { QUICK_RETRIES } from './support/workspace';
import { expectNoStackTrace } from './support/output';

const PASSWORD = 'realm-Pa55word';
const IDENTITY_TOKEN = 'idt-realm-0123456789';
const REPOSITORY = 'team/app';
const image = buildxIndex(['linux/amd64', 'linux/arm64'], 'annotation');

let tokens: TokenServer;
/** In front of the token server: the realm the registry names. */
let realmProxy: FaultProxy;
/** In front of the registry. */
let proxy: FaultProxy;
let registry: TestRegistry;
let ref: string;
let passwordConfig: string;
let identityTokenConfig: string;

beforeAll(async () => {
  tokens = await startTokenServer({
    users: { alice: PASSWORD },
    identityTokens: { [IDENTITY_TOKEN]: 'alice' },
  });
  realmProxy = await startFaultProxy(new URL(tokens.realm).origin);
  const token = tokens.registryAuth.token as Record<string, unknown>;
  registry = await startRegistry({ auth: { token: { ...token, realm: `${realmProxy.url}/token` } } });
  const admin = tokens.mint('admin', [{ type: 'repository', name: REPOSITORY, actions: ['pull', 'push'] }]);
  await new PushClient(registry.url, { authorization: `Bearer ${admin}` }).push(REPOSITORY, ['v1'], image);
  proxy = await startFaultProxy(registry.url);
  ref = `${proxy.host}/${REPOSITORY}:v1`;
  passwordConfig = dockerConfigDir({ auths: { [proxy.host]: { auth: basicAuth('alice', PASSWORD) } } });
  identityTokenConfig = dockerConfigDir({ auths: { [proxy.host]: { identitytoken: IDENTITY_TOKEN } } });
});
afterAll(async () => {
  await proxy.stop();
  await registry.stop();
  await realmProxy.stop();
  await tokens.stop();
});
beforeEach(() => {
  proxy.reset();
  realmProxy.reset();
  tokens.requests.splice(0);
});

async function verify(options: { config?: string; args?: string[]; env?: Record<string, string> } = {}) {
  const result = await runCli(
    ['verify', '--format', 'json', '--attestations', 'allow', ...(options.args ?? []), ref],
    {
      env: {
        ...QUICK_RETRIES,
        DOCKER_CONFIG: options.config ?? passwordConfig,
        BUILDX_GUARD_DEBUG: '1',
        ...options.env,
      },
    },
  );
  for (const secret of [PASSWORD, basicAuth('alice', PASSWORD), IDENTITY_TOKEN]) {
    expect(result.stdout + result.stderr).not.toContain(secret);
  }
  expectNoStackTrace(result.stderr);
  return result;
}

function expectPassed(result: RunResult) {
  expect([result.code, result.stderr.split('\n').filter((line) => line.startsWith('error:'))]).toEqual([
    0,
    [],
  ]);
  expect(JSON.parse(result.stdout).images[0].ok).toBe(true);
}

function expectCouldNotCheck(result: RunResult, reason: string) {
  expect(result.code).toBe(2);
  // Text prints no verdict; the JSON report still holds the reference as "could not check", with the reason.
  if (result.stdout !== '') {
    expect(JSON.parse(result.stdout).images).toEqual([
      expect.objectContaining({ ok: false, problems: [{ code: 'could-not-check', message: reason }] }),
    ]);
  }
  expect(result.stderr.split('\n').filter((line) => line.startsWith('error:'))).toEqual([`error: ${reason}`]);
}

const TOKEN = /^\/token/;
const realm = () => `the token server ${realmProxy.url}/token`;
const faulted = (p: FaultProxy) => p.requests.filter((r) => r.fault).length;

describe('the token realm', () => {
  it.each<[string, FaultRule['fault']]>([
    ['503', { status: 503 }],
    ['429 with Retry-After: 0', { status: 429, headers: { 'retry-after': '0' } }],
    ['a reset connection', { reset: true }],
    ['a truncated body', { truncate: true }],
  ])('recovers from %s, twice', async (_name, fault) => {
    realmProxy.rules = [{ path: TOKEN, fault, times: 2 }];
    expectPassed(await verify());
    expect([faulted(realmProxy), realmProxy.requests.length]).toEqual([2, 3]);
    // A truncated answer was granted upstream too: the token that counts is the last one.
    expect(tokens.requests.at(-1)?.grantedTo).toBe('alice');
  });

  it.each<[string, FaultRule['fault'], string]>([
    ['503 on every attempt', { status: 503 }, `answered status 503 for ${REPOSITORY}.`],
    [
      'a 200 without a token',
      { status: 200, body: '{"note":"no token here"}' },
      `answered without a token for ${REPOSITORY}.`,
    ],
    [
      'a 200 that is not JSON',
      { status: 200, body: '<html>login</html>' },
      `answered without a token for ${REPOSITORY}.`,
    ],
  ])('that answers %s cannot be checked', async (_name, fault, reason) => {
    realmProxy.rules = [{ path: TOKEN, fault }];
    expectCouldNotCheck(await verify(), `${realm()} ${reason}`);
  });

  it('that stops answering is given up on within the timeout', async () => {
    realmProxy.rules = [{ path: TOKEN, fault: { stall: true } }];
    const result = await verify({ env: { BUILDX_GUARD_TIMEOUT_MS: '300', BUILDX_GUARD_RETRIES: '1' } });
    expectCouldNotCheck(
      result,
      `GET ${realmProxy.url}/token: no answer within 300 ms (gave up after 2 attempts)`,
    );
    expect(realmProxy.requests).toHaveLength(2);
  });

  it('that sends a 5 MiB answer is cut off at its limit', async () => {
    realmProxy.rules = [{ path: TOKEN, fault: { oversize: 5 * 1024 * 1024 } }];
    expectCouldNotCheck(
      await verify(),
      `GET ${realmProxy.url}/token: the response is larger than the 1 MiB limit.`,
    );
  });

  describe('that redirects to another host', () => {
    let elsewhere: RecordingServer;
    beforeEach(async () => {
      elsewhere = await startRecordingServer();
    });
    afterEach(() => elsewhere.stop());
    const other = () => elsewhere.url.replace('127.0.0.1', 'localhost');

    it('gets no password there', async () => {
      realmProxy.rules = [{ path: TOKEN, fault: { redirect: `${other()}/token?stolen=1` } }];
      const result = await verify();
      expectCouldNotCheck(result, `${realm()} answered status 404 for ${REPOSITORY}.`);
      expect(realmProxy.requests.map((r) => r.headers.authorization)).toEqual([
        `Basic ${basicAuth('alice', PASSWORD)}`,
      ]);
      expect(elsewhere.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
        ['/token?stolen=1', undefined],
      ]);
    });

    it('gets no identity token there: the request is refused, not resent', async () => {
      realmProxy.rules = [{ path: TOKEN, fault: { redirect: `${other()}/token` } }];
      const result = await verify({ config: identityTokenConfig });
      expectCouldNotCheck(
        result,
        `POST ${realmProxy.url}/token: refusing to send credentials to ${other()} after a redirect.`,
      );
      expect(elsewhere.requests).toEqual([]);
    });
  });
});

describe('faults that persist on what an index lists', () => {
  const child = () => image.children[0].descriptor.digest;
  const childPath = () => new RegExp(`/manifests/${child()}$`);

  it.each<[string, FaultRule['fault'], (digest: string) => string]>([
    [
      '503 on a child HEAD',
      { status: 503 },
      (digest) =>
        `${proxy.host} answered status 503 for ${REPOSITORY} manifests ${digest} (gave up after 4 attempts).`,
    ],
    [
      'a reset on a child HEAD',
      { reset: true },
      (digest) =>
        `HEAD http://${proxy.host}/v2/${REPOSITORY}/manifests/${digest}: other side closed (gave up after 4 attempts)`,
    ],
  ])('%s cannot be checked: a child that cannot be seen is not a pass', async (_name, fault, reason) => {
    proxy.rules = [{ method: 'HEAD', path: childPath(), fault }];
    expectCouldNotCheck(await verify(), reason(child()));
    // One try and three retries, each answered by the fault.
    expect(proxy.requests.filter((r) => r.fault)).toHaveLength(4);
  });

  it('a child that stops answering is given up on within the timeout', async () => {
    proxy.rules = [{ method: 'HEAD', path: childPath(), fault: { stall: true } }];
    const result = await verify({ env: { BUILDX_GUARD_TIMEOUT_MS: '300', BUILDX_GUARD_RETRIES: '1' } });
    expectCouldNotCheck(
      result,
      `HEAD http://${proxy.host}/v2/${REPOSITORY}/manifests/${child()}: no answer within 300 ms (gave up after 2 attempts)`,
    );
  });

  it('500 on a layer blob with --verify-blobs cannot be checked', async () => {
    const layer = image.children[0].blobs[1].descriptor.digest;
    proxy.rules = [{ method: 'HEAD', path: new RegExp(`/blobs/${layer}$`), fault: { status: 500 } }];
    expectCouldNotCheck(
      await verify({ args: ['--verify-blobs'] }),
      `${proxy.host} answered status 500 for ${REPOSITORY} blobs ${layer} (gave up after 4 attempts).`,
    );
  });
});

describe('faults seen through the action (mode: verify)', () => {
  const action = () =>
    runAction(
      { mode: 'verify', images: ref, attestations: 'allow' },
      { env: { ...QUICK_RETRIES, DOCKER_CONFIG: passwordConfig } },
    );

  it('retried faults recover: the step passes', async () => {
    proxy.rules = [{ method: 'GET', path: /\/manifests\/v1$/, fault: { status: 502 }, times: 2 }];
    realmProxy.rules = [{ path: TOKEN, fault: { status: 503 }, times: 1 }];
    const result = await action();
    expect(result.code).toBe(0);
    expect(JSON.parse(result.outputs.report).images[0].ok).toBe(true);
    expect([faulted(proxy), faulted(realmProxy)]).toEqual([2, 1]);
  });

  it('a fault that persists fails the step with the reason, and no verdict', async () => {
    proxy.rules = [{ method: 'GET', path: /\/manifests\/v1$/, fault: { status: 502 } }];
    const result = await action();
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('::error::'))).toEqual([
      `::error::${proxy.host} answered status 502 for ${REPOSITORY} manifest v1 (gave up after 4 attempts).`,
    ]);
    expect(result.outputs).toEqual({});
    expectNoStackTrace(result.stdout + result.stderr);
  });
});

describe('credentials over plain http', () => {
  let insecure: RecordingServer;
  let tunnel: ConnectProxy;
  afterEach(async () => {
    await insecure.stop();
    await tunnel.stop();
  });

  it('are not sent to a registry off loopback, even one listed in insecure-registries', async () => {
    // The registry asks for Basic credentials under a name that is not loopback; the proxy routes that name to
    // a loopback server, so the client sees a remote host while no traffic leaves this machine.
    insecure = await startRecordingServer((_req, res) =>
      res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' }).end(),
    );
    const port = insecure.host.split(':')[1];
    const host = `registry.buildx-guard.test:${port}`;
    tunnel = await startConnectProxy({ route: () => insecure.host });
    const config = dockerConfigDir({ auths: { [host]: { auth: basicAuth('alice', PASSWORD) } } });
    const result = await runCli(['verify', '--insecure-registry', host, `${host}/${REPOSITORY}:v1`], {
      env: {
        ...QUICK_RETRIES,
        DOCKER_CONFIG: config,
        HTTP_PROXY: tunnel.url,
        HTTPS_PROXY: tunnel.url,
        NO_PROXY: '',
      },
    });
    expectCouldNotCheck(
      result,
      `Refusing to send credentials over plain http to ${host}: serve it over https (a registry or token realm on plain http is only trusted with credentials on loopback).`,
    );
    expect(tunnel.tunnels.map((t) => t.target)).toContain(host);
    expect(insecure.requests.map((r) => [r.method, r.headers.authorization])).toEqual([['GET', undefined]]);
  });
});
