// TLS with a self-signed certificate and HTTP(S)_PROXY/NO_PROXY, against the real registry.
import { cpSync } from 'node:fs';
import { verifyReferences } from '../../src/core/verification';
import { parseReference } from '../../src/core/registry/reference';
import { CheckError } from '../../src/core/errors';
import { startRegistry, TestRegistry } from '../support/registry';
import { PushClient } from '../support/oci';
import { selfSignedCertificate, Certificate } from '../support/tls';
import { buildxIndex, expectation } from './helpers/images';
import { recordingLog } from './helpers/recording-log';
import { cleanEnv, runCli } from './helpers/cli';
import { startConnectProxy } from './helpers/connect-proxy';

async function verifyWith(
  ref: string,
  env: NodeJS.ProcessEnv,
  log = recordingLog(),
  insecureRegistries: string[] = [],
) {
  const report = await verifyReferences(
    [parseReference(ref)],
    expectation(),
    { insecureRegistries, log },
    env,
  );
  return report.images[0];
}

/**
 * Loopback is never proxied, so proxy tests name the registry `registry.proxy.test:<port>`, a name only the
 * tests' CONNECT proxy knows: it routes it to the registry on 127.0.0.1. No traffic leaves loopback.
 */
const PROXIED = 'registry.proxy.test';
const routed = (registry: TestRegistry) => registry.host.replace('127.0.0.1', PROXIED);
const toLoopback = (target: string) => target.replace(PROXIED, '127.0.0.1');

describe('TLS with a self-signed certificate', () => {
  let cert: Certificate;
  let registry: TestRegistry;
  let ref: string;
  beforeAll(async () => {
    // Content is pushed over plain http, then served by a TLS registry over the same storage: this process
    // cannot trust the certificate (NODE_EXTRA_CA_CERTS is read only when node starts), the CLI child can.
    const source = await startRegistry();
    await new PushClient(source.url).push('tls/app', ['v1'], buildxIndex(['linux/amd64'], 'none'));
    cert = selfSignedCertificate();
    registry = await startRegistry({ tls: { certificate: cert.certificate, key: cert.key } });
    cpSync(source.rootDir, registry.rootDir, { recursive: true });
    await source.stop();
    ref = `${registry.host}/tls/app:v1`;
  });
  afterAll(() => registry.stop());

  it('passes over https when NODE_EXTRA_CA_CERTS names the certificate', async () => {
    const run = await runCli(
      ['verify', ref],
      cleanEnv({ NODE_EXTRA_CA_CERTS: cert.certificate, BUILDX_GUARD_DEBUG: '1' }),
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^OK {3}/);
    expect(run.stderr).toContain(
      `GET https://${ref.replace('/tls/app:v1', '/v2/tls/app/manifests/v1')} -> 200`,
    );
    expect(run.stderr).not.toContain('http://');
  });

  it('cannot check without trusting the certificate, says how to fix it, and never falls back to http', async () => {
    const run = await runCli(['verify', ref], cleanEnv({ BUILDX_GUARD_DEBUG: '1' }));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      new RegExp(
        `the TLS certificate of ${registry.host.replace(/\./g, '\\.')} is not trusted \\([A-Z_]+\\)\\. If it is signed by your own CA, put that CA in a PEM file and set NODE_EXTRA_CA_CERTS to its path\\.`,
      ),
    );
    expect(run.stderr).not.toContain('http://');
  });

  it('passes through a CONNECT proxy', async () => {
    const proxy = await startConnectProxy({ route: toLoopback });
    try {
      const env = cleanEnv({ NODE_EXTRA_CA_CERTS: cert.certificate, HTTPS_PROXY: proxy.url, NO_PROXY: '' });
      const run = await runCli(['verify', ref.replace(registry.host, routed(registry))], env);
      expect(run.status).toBe(0);
      expect(proxy.tunnels.map((t) => t.target)).toContain(routed(registry));
    } finally {
      await proxy.stop();
    }
  });
});

describe('HTTP(S)_PROXY and NO_PROXY', () => {
  let registry: TestRegistry;
  /** The registry under the routed name (plain http, so listed as insecure), and under its loopback address. */
  let ref: string;
  let insecure: string[];
  let loopbackRef: string;
  beforeAll(async () => {
    registry = await startRegistry();
    await new PushClient(registry.url).push(
      'proxy/app',
      ['v1'],
      buildxIndex(['linux/amd64', 'linux/arm64'], 'none'),
    );
    ref = `${routed(registry)}/proxy/app:v1`;
    insecure = [routed(registry)];
    loopbackRef = `${registry.host}/proxy/app:v1`;
  });
  afterAll(() => registry.stop());

  it('sends every request through the proxy named by the environment', async () => {
    const proxy = await startConnectProxy({ route: toLoopback });
    try {
      const report = await verifyWith(
        ref,
        cleanEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' }),
        recordingLog(),
        insecure,
      );
      expect([report.ok, report.children.length]).toEqual([true, 2]);
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(new Set(proxy.tunnels.map((t) => t.target))).toEqual(new Set([routed(registry)]));
    } finally {
      await proxy.stop();
    }
  });

  it('never proxies a loopback registry, whatever NO_PROXY says', async () => {
    const proxy = await startConnectProxy({ route: toLoopback });
    try {
      const env = cleanEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' });
      expect((await verifyWith(loopbackRef, env)).ok).toBe(true);
      expect(proxy.tunnels).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const proxy = await startConnectProxy({ route: toLoopback });
    try {
      const env = cleanEnv({
        HTTP_PROXY: proxy.url,
        HTTPS_PROXY: proxy.url,
        NO_PROXY: `example.com,${PROXIED}`,
      });
      // Direct, the routed name does not resolve: the request never reached the proxy.
      const report = verifyWith(ref, { ...env, BUILDX_GUARD_RETRIES: '0' }, recordingLog(), insecure);
      await expect(report).rejects.toThrow(CheckError);
      expect(proxy.tunnels).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('authenticates to the proxy with the credentials in its URL, and masks them', async () => {
    const proxy = await startConnectProxy({ credentials: 'pxuser:px-Pa55', route: toLoopback });
    try {
      const log = recordingLog();
      const url = proxy.url.replace('http://', 'http://pxuser:px-Pa55@');
      const report = await verifyWith(
        ref,
        cleanEnv({ HTTP_PROXY: url, HTTPS_PROXY: url, NO_PROXY: '' }),
        log,
        insecure,
      );
      expect(report.ok).toBe(true);
      expect(proxy.tunnels[0].authorization).toBe(
        `Basic ${Buffer.from('pxuser:px-Pa55').toString('base64')}`,
      );
      expect(log.secrets).toContain('px-Pa55');
      expect(log.text()).not.toContain('px-Pa55');
    } finally {
      await proxy.stop();
    }
  });

  it('cannot check when the proxy refuses the tunnel', async () => {
    const proxy = await startConnectProxy({ credentials: 'pxuser:px-Pa55', route: toLoopback });
    try {
      const outcome = verifyWith(
        ref,
        cleanEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' }),
        recordingLog(),
        insecure,
      );
      await expect(outcome).rejects.toThrow(CheckError);
      await expect(outcome).rejects.toThrow('407');
    } finally {
      await proxy.stop();
    }
  });

  it('the CLI honours the proxy variables', async () => {
    const proxy = await startConnectProxy({ route: toLoopback });
    try {
      const run = await runCli(
        ['verify', '--insecure-registry', routed(registry), ref],
        cleanEnv({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' }),
      );
      expect(run.status).toBe(0);
      expect(new Set(proxy.tunnels.map((t) => t.target))).toEqual(new Set([routed(registry)]));
    } finally {
      await proxy.stop();
    }
  });
});
