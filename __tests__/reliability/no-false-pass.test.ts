// No false pass (issue 5): when build mode cannot check what it pushed (network, auth), the step fails with
// "could not check" (exit 2 on the CLI) unless verification is turned off; a tag the registry does not show
// yet right after the push gets a bounded number of new looks before the verdict.
import { startRegistry, TestRegistry } from '../support/registry';
import { FaultProxy, FaultRule, startFaultProxy } from '../support/fault-proxy';
import { RunResult, runAction, runCli } from '../support/action-runner';
import { buildContext, emptyDockerConfig, QUICK_RETRIES } from './support/workspace';
import { expectNoStackTrace } from './support/output';

let registry: TestRegistry;
let proxy: FaultProxy;
let context: string;
let tag: string;
let repository: string;
const env = () => ({ ...QUICK_RETRIES, DOCKER_CONFIG: emptyDockerConfig() });

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry.url);
  context = buildContext();
});
afterAll(async () => {
  await proxy.stop();
  await registry.stop();
});
let run = 0;
beforeEach(() => {
  proxy.reset();
  // A fresh tag per test: a verdict must come from this test's push.
  repository = `nfp/app${++run}`;
  tag = `${proxy.host}/${repository}:v1`;
});

const buildAction = (inputs: Record<string, string> = {}) =>
  runAction({ context, push: 'true', tags: tag, ...inputs }, { env: env() });
const buildCli = (guard: string[] = []) =>
  runCli(['build', ...guard, '--', '-t', tag, '--push', context], { env: env() });

const TAG_GET = () => new RegExp(`/v2/${repository}/manifests/v1$`);
const manifestGets = () => proxy.requests.filter((r) => r.method === 'GET' && /\/manifests\//.test(r.path));
const tagGets = () => proxy.requests.filter((r) => r.method === 'GET' && TAG_GET().test(r.path));

/** The action's failure: the step fails with the reason as its one error, and reports no verdict. */
function expectActionCouldNotCheck(result: RunResult, reason: string) {
  expect(result.code).toBe(1);
  const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(reason);
  expect(result.outputs.report).toBeUndefined();
  expect(result.stdout).not.toContain('as expected');
  expectNoStackTrace(result.stdout + result.stderr);
}

function expectCliCouldNotCheck(result: RunResult, reason: string) {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(`error: `);
  expect(result.stderr).toContain(reason);
  expectNoStackTrace(result.stderr);
}

describe('verification that cannot check fails the build step', () => {
  const registryError = '{"errors":[{"code":"UNAVAILABLE","message":"maintenance"}]}';
  it.each<[string, FaultRule['fault'], (repository: string) => string]>([
    [
      'the registry answers 503 after the push',
      { status: 503, body: registryError },
      (repo) =>
        `answered status 503 for ${repo} manifest v1, UNAVAILABLE: maintenance (gave up after 4 attempts).`,
    ],
    [
      'the registry drops every connection after the push',
      { reset: true },
      () => '(gave up after 4 attempts)',
    ],
    [
      'the registry asks for credentials nobody has',
      { status: 401, headers: { 'www-authenticate': 'Basic realm="registry"' } },
      () => `/config.json has none for ${proxy.host}: run docker login ${proxy.host} (or set DOCKER_CONFIG).`,
    ],
    [
      'the registry refuses access',
      {
        status: 403,
        body: '{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}',
      },
      (repo) => `denied access to ${repo} (status 403, DENIED: requested access to the resource is denied).`,
    ],
  ])('%s', async (_name, fault, reason) => {
    proxy.rules = [{ method: 'GET', path: TAG_GET(), fault }];
    expectActionCouldNotCheck(await buildAction(), reason(repository));
    expect(proxy.requests.some((r) => r.method === 'PUT' && TAG_GET().test(r.path))).toBe(true);

    proxy.requests.splice(0);
    expectCliCouldNotCheck(await buildCli(), reason(repository));
  });

  it('a registry that stops answering is given up on within the timeout', async () => {
    proxy.rules = [{ method: 'GET', path: TAG_GET(), fault: { stall: true } }];
    const bounded = { ...env(), BUILDX_GUARD_TIMEOUT_MS: '300', BUILDX_GUARD_RETRIES: '1' };
    const reason = `GET http://${proxy.host}/v2/${repository}/manifests/v1: no answer within 300 ms (gave up after 2 attempts)`;
    const action = await runAction({ context, push: 'true', tags: tag }, { env: bounded });
    expectActionCouldNotCheck(action, reason);
    const cli = await runCli(['build', '--', '-t', tag, '--push', context], { env: bounded });
    expectCliCouldNotCheck(cli, reason);
    // Two attempts per run: the bound, not the fault, ended each run.
    expect(tagGets()).toHaveLength(4);
  });

  it('passes without looking when verification is turned off, and says so', async () => {
    proxy.rules = [{ method: 'GET', path: /\/manifests\//, fault: { status: 503 } }];
    const action = await buildAction({ verify: 'false' });
    expect(action.code).toBe(0);
    expect(action.stdout).toContain('Verification skipped (verify: false).');
    expect(action.outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);

    const cli = await buildCli(['--no-verify']);
    expect([cli.code, cli.stdout]).toEqual([0, '']);
    expect(cli.stderr).toContain('Verification skipped (verify: false).');
    expect(manifestGets()).toEqual([]);
  });
});

describe('a tag the registry does not show yet right after the push (MANIFEST_UNKNOWN, as on ECR)', () => {
  const manifestUnknown = {
    status: 404,
    headers: { 'content-type': 'application/json' },
    body: '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}',
  };

  it('is asked for again, a bounded number of times, and then verified', async () => {
    proxy.rules = [{ method: 'GET', path: TAG_GET(), fault: manifestUnknown, times: 2 }];
    const action = await buildAction();
    expect(action.code).toBe(0);
    expect(action.stdout).toContain(`${tag} is not in the registry yet; asking again in 10 ms (1/3).`);
    expect(action.stdout).toContain(`${tag} is not in the registry yet; asking again in 20 ms (2/3).`);
    expect(action.stdout).toContain(`The registry serves ${tag}`);
    expect(JSON.parse(action.outputs.report).images.map((image: { ok: boolean }) => image.ok)).toEqual([
      true,
      true,
    ]);
    expect(tagGets().map((r) => Boolean(r.fault))).toEqual([true, true, false]);
  });

  it('that never appears is a not-found violation after four looks, not a pass', async () => {
    proxy.rules = [{ method: 'GET', path: TAG_GET(), fault: manifestUnknown }];
    const action = await buildAction();
    expect(action.code).toBe(1);
    expect(action.stdout).toContain(`${tag} is not in the registry yet; asking again in 40 ms (3/3).`);
    expect(action.stdout).toContain(
      `::error::The registry does not serve what this build should have pushed.%0A%0A${tag}: the registry serves nothing;`,
    );
    const report = JSON.parse(action.outputs.report);
    expect(report.images[0].problems.map((p: { code: string }) => p.code)).toEqual(['not-found']);
    expect(tagGets()).toHaveLength(4);

    proxy.requests.splice(0);
    const cli = await buildCli();
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`FAIL ${tag}`);
    expect(cli.stderr).toContain(`error: The registry does not serve what this build should have pushed.`);
    expect(tagGets()).toHaveLength(4);
  });
});
