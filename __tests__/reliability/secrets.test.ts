// Secrets (issue 5): registry passwords, bearer tokens, identity tokens, credential helper secrets, the
// github-token input and `secrets`/`secret-envs` values never appear in what a step or the CLI prints or
// writes. The action registers each one with ::add-mask:: (how a runner masks) and prints it nowhere else;
// the CLI prints none of them. Debug output is on throughout: it is where a leak would hide. The docker
// double's record of buildx's argv is exempt, since buildx legitimately receives secrets.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startRegistry, TestRegistry } from '../support/registry';
import { FaultProxy, FaultRule, startFaultProxy } from '../support/fault-proxy';
import { startTokenServer, TokenServer } from '../support/token-server';
import { DOUBLE_BIN, RunResult, runAction, runCli } from '../support/action-runner';
import { basicAuth, dockerConfigDir, writeCredentialHelper } from '../registry/helpers/credential-helper';
import { buildContext, QUICK_RETRIES } from './support/workspace';
import { expectNoStackTrace } from './support/output';

const PASSWORD = 'Pa55-w0rd-for-alice';
const WRONG_PASSWORD = 'Wr0ng-Pa55-for-alice';
const IDENTITY_TOKEN = 'idt-9f8e7d6c5b4a3210';
const HELPER_SECRET = 'helper-Secret-4bob';
const GITHUB_TOKEN = 'ghs_0123456789abcdefGHIJKLMNOP';
const BUILD_SECRET = 'npm_s3cretValueFromSecretsInput';
const ENV_SECRET = 'env-s3cret-for-secret-envs';

let registry: TestRegistry;
let proxy: FaultProxy;
let tokens: TokenServer;
let helperBin: string;

beforeAll(async () => {
  registry = await startRegistry();
  proxy = await startFaultProxy(registry.url);
  tokens = await startTokenServer({
    users: { alice: PASSWORD },
    identityTokens: { [IDENTITY_TOKEN]: 'alice' },
  });
  helperBin = writeCredentialHelper('bxgsecrets', {
    answers: { [proxy.host]: { Username: 'bob', Secret: HELPER_SECRET } },
  }).binDir;
});
afterAll(async () => {
  await proxy.stop();
  await tokens.stop();
  await registry.stop();
});
beforeEach(() => {
  proxy.requests.splice(0);
  tokens.requests.splice(0);
});

/**
 * The registry asks for credentials on every manifest request that has none (the test double pushes without
 * any, so pushes pass): Basic, or Bearer with the token server as its realm.
 */
function challengeWith(scheme: 'basic' | 'bearer'): FaultRule[] {
  const challenge =
    scheme === 'basic'
      ? 'Basic realm="registry"'
      : `Bearer realm="${tokens.realm}",service="buildx-guard-registry"`;
  const fault = { status: 401, headers: { 'www-authenticate': challenge } };
  return ['GET', 'HEAD'].map((method) => ({
    method,
    path: /\/manifests\//,
    missingHeader: 'authorization',
    fault,
  }));
}

interface Credentials {
  name: string;
  scheme: 'basic' | 'bearer';
  config: () => object;
  /** The secrets this way of logging in puts in reach of the process. */
  secrets: string[];
}

const CREDENTIALS: Credentials[] = [
  {
    name: 'a password in auths (Basic)',
    scheme: 'basic',
    config: () => ({ auths: { [proxy.host]: { auth: basicAuth('alice', PASSWORD) } } }),
    secrets: [PASSWORD, basicAuth('alice', PASSWORD)],
  },
  {
    name: 'a password sent to the token realm',
    scheme: 'bearer',
    config: () => ({ auths: { [`http://${proxy.host}/v2/`]: { username: 'alice', password: PASSWORD } } }),
    secrets: [PASSWORD, basicAuth('alice', PASSWORD)],
  },
  {
    name: 'an identity token',
    scheme: 'bearer',
    config: () => ({ auths: { [proxy.host]: { identitytoken: IDENTITY_TOKEN } } }),
    secrets: [IDENTITY_TOKEN],
  },
  {
    name: 'a credential helper',
    scheme: 'basic',
    config: () => ({ credHelpers: { [proxy.host]: 'bxgsecrets' } }),
    secrets: [HELPER_SECRET, basicAuth('bob', HELPER_SECRET)],
  },
];

/** The bearer tokens the registry was sent: secrets too, though no one knew them before the run. */
function bearerTokens(): string[] {
  const sent = proxy.requests.map((r) => /^Bearer (.+)$/.exec(r.headers.authorization ?? '')?.[1]);
  return [...new Set(sent.filter((token): token is string => token !== undefined))];
}

/** Proof the credentials were used: otherwise "never printed" would prove nothing. */
function expectCredentialsUsed(credentials: Credentials) {
  const authorizations = proxy.requests.map((r) => r.headers.authorization).filter(Boolean);
  if (credentials.scheme === 'basic') {
    expect(authorizations).toContain(`Basic ${credentials.secrets[1]}`);
  } else {
    expect(tokens.requests.map((r) => r.grantedTo)).toContain('alice');
    expect(bearerTokens().length).toBeGreaterThan(0);
  }
}

/** Everything a step leaves behind that a person or another step can read. */
function stepOutput(result: RunResult): string {
  return [result.stderr, result.summary, ...Object.entries(result.outputs).flat()].join('\n');
}

/** The action may name a secret only to mask it: in an ::add-mask:: line, and nowhere else it writes. */
function expectNeverPrintedByAction(result: RunResult, secrets: string[]) {
  const lines = result.stdout.split('\n');
  for (const secret of secrets) {
    expect(lines.filter((line) => line.includes(secret) && line !== `::add-mask::${secret}`)).toEqual([]);
    expect(stepOutput(result)).not.toContain(secret);
  }
  expect(result.stdout).toContain('::debug::');
  expectNoStackTrace(result.stdout + result.stderr);
}

/** Masked: registered with the runner, so it hides them in anything else (buildx's own output included). */
function expectMaskedByAction(result: RunResult, secrets: string[]) {
  const lines = result.stdout.split('\n');
  for (const secret of secrets) expect(lines).toContain(`::add-mask::${secret}`);
  expectNeverPrintedByAction(result, secrets);
}

function expectAbsentFromCli(result: RunResult, secrets: string[]) {
  for (const secret of secrets) expect(result.stdout + result.stderr).not.toContain(secret);
  expect(result.stderr).toContain('debug: ');
  expectNoStackTrace(result.stderr);
}

const RUNNER = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_SHA: 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeed',
  RUNNER_DEBUG: '1',
};

function environment(credentials: Credentials, extra: Record<string, string> = {}) {
  return {
    ...QUICK_RETRIES,
    DOCKER_CONFIG: dockerConfigDir(credentials.config()),
    PATH: [DOUBLE_BIN, helperBin, process.env.PATH].join(delimiter),
    BUILDX_GUARD_DEBUG: '1',
    ...extra,
  };
}

describe.each(CREDENTIALS)('with $name', (credentials) => {
  let tag: string;
  beforeAll(() => {
    proxy.rules = challengeWith(credentials.scheme);
    tag = `${proxy.host}/secrets/${credentials.scheme}-${CREDENTIALS.indexOf(credentials)}:v1`;
  });

  it('mode build (action) masks them, the github-token and the build secrets, and leaves no secret file', async () => {
    const runnerTemp = mkdtempSync(join(tmpdir(), 'bxg-runner-temp-'));
    // No context input: build-push-action's default Git context, which the github-token authenticates.
    const result = await runAction(
      {
        push: 'true',
        tags: tag,
        secrets: `NPM_TOKEN=${BUILD_SECRET}`,
        'secret-envs': 'ENV_TOKEN=BXG_ENV_SECRET',
      },
      {
        githubToken: GITHUB_TOKEN,
        env: environment(credentials, { ...RUNNER, RUNNER_TEMP: runnerTemp, BXG_ENV_SECRET: ENV_SECRET }),
      },
    );
    expect(result.code).toBe(0);
    expectCredentialsUsed(credentials);
    expectMaskedByAction(result, [
      ...credentials.secrets,
      ...bearerTokens(),
      GITHUB_TOKEN,
      BUILD_SECRET,
      ENV_SECRET,
    ]);
    expect(readdirSync(runnerTemp)).toEqual([]);
  });

  it('mode verify (action) masks them, also in the report and summary of a violation', async () => {
    const result = await runAction(
      { mode: 'verify', images: tag, expect: 'index' },
      { githubToken: GITHUB_TOKEN, env: environment(credentials, RUNNER) },
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.outputs.report).images[0].problems[0].code).toBe('unexpected-manifest');
    expectCredentialsUsed(credentials);
    expectMaskedByAction(result, [...credentials.secrets, ...bearerTokens()]);
    // Verify mode does not use the github-token input: it must still never be printed.
    expectNeverPrintedByAction(result, [GITHUB_TOKEN]);
  });

  it('buildx-guard build and verify print none of them', async () => {
    const build = await runCli(
      ['build', '--', '-t', tag, '--push', '--secret', 'id=ENV_TOKEN,env=BXG_ENV_SECRET', buildContext()],
      { env: environment(credentials, { BXG_ENV_SECRET: ENV_SECRET }) },
    );
    expect(build.code).toBe(0);
    const verify = await runCli(['verify', '--expect', 'index', tag], { env: environment(credentials) });
    expect(verify.code).toBe(1);
    expectCredentialsUsed(credentials);
    for (const result of [build, verify])
      expectAbsentFromCli(result, [...credentials.secrets, ...bearerTokens()]);
  });
});

describe('credentials that are refused', () => {
  const wrong: Credentials = {
    name: 'a wrong password',
    scheme: 'bearer',
    config: () => ({ auths: { [proxy.host]: { auth: basicAuth('alice', WRONG_PASSWORD) } } }),
    secrets: [WRONG_PASSWORD, basicAuth('alice', WRONG_PASSWORD)],
  };
  beforeAll(() => (proxy.rules = challengeWith('bearer')));
  const refusal = () =>
    `the token server ${tokens.realm} refused the credentials for ${proxy.host} (status 401): run docker login ${proxy.host} again.`;

  it('fail the step with the reason and without the password', async () => {
    const result = await runAction(
      { mode: 'verify', images: `${proxy.host}/secrets/refused:v1` },
      { env: environment(wrong, RUNNER) },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`::error::${refusal()}`);
    expectMaskedByAction(result, wrong.secrets);
  });

  it('exit 2 on the CLI, without the password', async () => {
    const result = await runCli(['verify', `${proxy.host}/secrets/refused:v1`], { env: environment(wrong) });
    expect([result.code, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toContain(`error: ${refusal()}`);
    expectAbsentFromCli(result, wrong.secrets);
  });
});
