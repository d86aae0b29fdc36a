// Faults injected in front of the real registry (issue 5): retried faults recover within the bound, others
// fail with exit 2 or a digest-mismatch violation, nothing hangs, and credentials never leak.
import { htpasswdAuth, startRegistry, TestRegistry } from '../support/registry';
import { Index, PushClient } from '../support/oci';
import {
  FaultProxy,
  FaultRule,
  RecordingServer,
  startFaultProxy,
  startRecordingServer,
} from '../support/fault-proxy';
import { buildxIndex } from './helpers/images';
import { basicAuth, dockerConfigDir } from './helpers/credential-helper';
import { cleanEnv, noVerdict, Run, runCli } from './helpers/cli';

const PASSWORD = 'fault-Pa55word';
const BASIC = basicAuth('alice', PASSWORD);
const TOP = /\/manifests\/v1$/;
const CHILD = /\/manifests\/sha256:/;

let registry: TestRegistry;
let proxy: FaultProxy;
let image: Index;
let ref: string;
let configDir: string;

beforeAll(async () => {
  registry = await startRegistry({ auth: htpasswdAuth({ alice: PASSWORD }) });
  image = buildxIndex(['linux/amd64', 'linux/arm64'], 'none');
  await new PushClient(registry.url, { authorization: `Basic ${BASIC}` }).push('faults/app', ['v1'], image);
  proxy = await startFaultProxy(registry.url);
  ref = `${proxy.host}/faults/app:v1`;
  configDir = dockerConfigDir({ auths: { [proxy.host]: { auth: BASIC } } });
});
afterAll(async () => {
  await proxy.stop();
  await registry.stop();
});
beforeEach(() => proxy.reset());

/**
 * Runs the CLI through the proxy with credentials in reach and debug output on (the most output there is to
 * leak into), and checks that no credential was printed.
 */
async function verify(
  rules: FaultRule[],
  options: { args?: string[]; env?: NodeJS.ProcessEnv; target?: string } = {},
) {
  proxy.rules = rules;
  const run = await runCli(
    ['verify', '--format', 'json', '--attestations', 'allow', ...(options.args ?? []), options.target ?? ref],
    cleanEnv({ DOCKER_CONFIG: configDir, BUILDX_GUARD_DEBUG: '1', ...options.env }),
  );
  for (const secret of [PASSWORD, BASIC]) expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
  return run;
}

const requestsTo = (path: RegExp) => proxy.requests.filter((r) => path.test(r.path));
const problems = (run: Run) =>
  JSON.parse(run.stdout).images[0].problems.map((p: { code: string; digest?: string }) => [p.code, p.digest]);

describe('retried faults recover within the bound', () => {
  it.each([
    ['408', { status: 408 }],
    ['429 with Retry-After: 0', { status: 429, headers: { 'retry-after': '0' } }],
    ['500', { status: 500 }],
    ['502', { status: 502 }],
    ['503', { status: 503 }],
    ['a reset connection', { reset: true as const }],
    ['a truncated body', { truncate: true as const }],
  ])('%s, twice, on the top-level manifest', async (_name, fault) => {
    const run = await verify([{ method: 'GET', path: TOP, fault, times: 2 }]);
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain('error:');
    expect(JSON.parse(run.stdout).images[0].ok).toBe(true);
    expect(requestsTo(TOP).filter((r) => r.fault)).toHaveLength(2);
  });

  it('503 on every child HEAD, once each', async () => {
    const run = await verify([{ method: 'HEAD', path: CHILD, fault: { status: 503 }, times: 2 }]);
    expect(run.status).toBe(0);
    expect(requestsTo(CHILD).filter((r) => r.fault)).toHaveLength(2);
  });

  it('honours Retry-After before asking again', async () => {
    const run = await verify([
      { method: 'GET', path: TOP, fault: { status: 429, headers: { 'retry-after': '1' } }, times: 1 },
    ]);
    expect(run.status).toBe(0);
    const [limited, next] = requestsTo(TOP);
    expect(limited.fault).toBeDefined();
    expect(next.at - limited.at).toBeGreaterThanOrEqual(950);
  });
});

describe('faults that persist cannot be checked (exit 2)', () => {
  it.each([
    ['503', { status: 503 }, `answered status 503 for faults/app manifest v1 (gave up after 4 attempts).`],
    ['a reset connection', { reset: true as const }, '(gave up after 4 attempts)'],
    ['a truncated body', { truncate: true as const }, '(gave up after 4 attempts)'],
  ])('%s on every attempt', async (_name, fault, message) => {
    const run = await verify([{ method: 'GET', path: TOP, fault }]);
    expect([run.status, noVerdict(run.stdout)]).toEqual([2, true]);
    expect(run.stderr).toContain(`error: `);
    expect(run.stderr).toContain(message);
    // The first answer is the registry's 401 (faults hit every GET, so also the one with credentials).
    expect(requestsTo(TOP).length).toBeLessThanOrEqual(8);
  });

  it('a Retry-After beyond the limit ends the retries at once', async () => {
    const run = await verify([
      { method: 'GET', path: TOP, fault: { status: 429, headers: { 'retry-after': '3600' } } },
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`answered status 429 for faults/app manifest v1.`);
    expect(requestsTo(TOP)).toHaveLength(1);
  });

  it.each([
    ['no answer at all', { stall: true as const }],
    ['headers but no body', { stallBody: true as const }],
  ])('a stall (%s) times out within the bound', async (_name, fault) => {
    const started = Date.now();
    const run = await verify([{ method: 'GET', path: TOP, fault }], {
      env: { BUILDX_GUARD_TIMEOUT_MS: '300', BUILDX_GUARD_RETRIES: '1' },
    });
    expect([run.status, noVerdict(run.stdout)]).toEqual([2, true]);
    expect(run.stderr).toContain(
      `error: GET http://${proxy.host}/v2/faults/app/manifests/v1: no answer within 300 ms (gave up after 2 attempts)`,
    );
    expect(requestsTo(TOP)).toHaveLength(2);
    // Two attempts of 300 ms and a 10 ms backoff, plus node's start: far below this bound unless something hangs.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it.each([
    ['with a Content-Length', false],
    ['streamed without one', true],
  ])('a 5 MiB manifest (%s) is refused', async (_name, chunked) => {
    const run = await verify([{ method: 'GET', path: TOP, fault: { oversize: 5 * 1024 * 1024, chunked } }]);
    expect([run.status, noVerdict(run.stdout)]).toEqual([2, true]);
    expect(run.stderr).toContain(
      `GET http://${proxy.host}/v2/faults/app/manifests/v1: the response is larger than the 4 MiB limit.`,
    );
  });

  it('a redirect loop is cut short', async () => {
    const run = await verify([
      { method: 'GET', path: TOP, fault: { redirect: `/v2/faults/app/manifests/v1` } },
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('more than 5 redirects');
  });
});

describe('bytes that do not match their digest are a violation (exit 1)', () => {
  const child = () => image.children[0].descriptor.digest;

  it('a body that does not hash to its Docker-Content-Digest', async () => {
    const run = await verify([{ method: 'GET', path: TOP, fault: { corrupt: true } }]);
    expect(run.status).toBe(1);
    expect(problems(run)[0][0]).toBe('digest-mismatch');
  });

  it('a Docker-Content-Digest that names other bytes', async () => {
    const other = `sha256:${'e'.repeat(64)}`;
    const run = await verify([{ method: 'GET', path: TOP, fault: { digestHeader: other } }]);
    expect(run.status).toBe(1);
    expect(problems(run)).toEqual([['digest-mismatch', image.descriptor.digest]]);
    expect(JSON.parse(run.stdout).images[0].problems[0].message).toBe(
      `Docker-Content-Digest says ${other}, but the bytes served hash to ${image.descriptor.digest}.`,
    );
  });

  it('bytes by digest that are not the requested digest', async () => {
    const byDigest = ref.replace(':v1', `@${image.descriptor.digest}`);
    const run = await verify([{ method: 'GET', path: /\/manifests\/sha256:/, fault: { corrupt: true } }], {
      target: byDigest,
    });
    expect(run.status).toBe(1);
    expect(problems(run)).toEqual([['digest-mismatch', image.descriptor.digest]]);
  });

  it('a child whose HEAD names another digest', async () => {
    const run = await verify([
      { method: 'HEAD', path: new RegExp(child()), fault: { digestHeader: `sha256:${'e'.repeat(64)}` } },
    ]);
    expect(run.status).toBe(1);
    expect(problems(run)).toEqual([['digest-mismatch', child()]]);
  });

  it('a child whose bytes are corrupted (fetched with --verify-blobs)', async () => {
    const run = await verify([{ method: 'GET', path: new RegExp(child()), fault: { corrupt: true } }], {
      args: ['--verify-blobs'],
    });
    expect(run.status).toBe(1);
    expect(problems(run)).toEqual([['digest-mismatch', child()]]);
  });
});

describe('credentials stay with the registry', () => {
  let elsewhere: RecordingServer | undefined;
  afterEach(async () => {
    await elsewhere?.stop();
    elsewhere = undefined;
  });

  it('a redirect to another host is followed without the Authorization header', async () => {
    // "Another host" serves the real manifest, as a storage backend would.
    elsewhere = await startRecordingServer((_req, res) =>
      res.writeHead(200, { 'content-type': image.descriptor.mediaType }).end(image.bytes),
    );
    const other = elsewhere.url.replace('127.0.0.1', 'localhost');
    const run = await verify([
      {
        method: 'GET',
        path: TOP,
        header: 'authorization',
        fault: { redirect: `${other}/blobstore/top?sig=abc` },
      },
    ]);
    expect(run.status).toBe(0);
    expect(requestsTo(TOP).some((r) => r.headers.authorization === `Basic ${BASIC}` && r.fault)).toBe(true);
    expect(elsewhere.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/blobstore/top?sig=abc', undefined],
    ]);
  });

  it('a 401 from the host redirected to is not answered with credentials', async () => {
    elsewhere = await startRecordingServer((_req, res) =>
      res.writeHead(401, { 'www-authenticate': 'Basic realm="elsewhere"' }).end(),
    );
    const run = await verify([
      {
        method: 'GET',
        path: TOP,
        header: 'authorization',
        fault: { redirect: `${elsewhere.url.replace('127.0.0.1', 'localhost')}/x` },
      },
    ]);
    expect(run.status).toBe(2);
    expect(elsewhere.requests.map((r) => r.headers.authorization)).toEqual([undefined]);
  });

  it('a token realm on another host over plain http never gets the credentials', async () => {
    // A name off loopback under the reserved .test domain: the refusal must come before any connection, so
    // nothing is sent anywhere (and a regression fails here rather than reaching a real host).
    const realmHost = 'realm.buildx-guard.test:8080';
    const run = await verify([
      {
        method: 'GET',
        path: TOP,
        fault: {
          status: 401,
          headers: { 'www-authenticate': `Bearer realm="http://${realmHost}/token",service="x"` },
        },
      },
    ]);
    expect([run.status, noVerdict(run.stdout)]).toEqual([2, true]);
    expect(run.stderr).toContain(`error: Refusing to send credentials over plain http to ${realmHost}`);
  });
});
