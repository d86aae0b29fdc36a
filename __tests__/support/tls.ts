// Self-signed certificates made with openssl, for TLS registries and for signing registry tokens.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Certificate {
  /** PEM paths, as a registry config and NODE_EXTRA_CA_CERTS take them. */
  certificate: string;
  key: string;
  /** The certificate in DER, base64 (an x5c entry). */
  derBase64: string;
  keyPem: string;
}

/** A self-signed RSA certificate valid for 127.0.0.1 and localhost. */
export function selfSignedCertificate(commonName = 'buildx-guard-tests'): Certificate {
  const dir = mkdtempSync(join(tmpdir(), 'bxg-tls-'));
  const certificate = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      '2',
      '-keyout',
      key,
      '-out',
      certificate,
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      // registry.proxy.test: a name only the tests' CONNECT proxy routes (to loopback), since loopback itself is never proxied.
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:registry.proxy.test',
    ],
    { stdio: 'ignore' },
  );
  const pem = readFileSync(certificate, 'utf8');
  const derBase64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return { certificate, key, derBase64, keyPem: readFileSync(key, 'utf8') };
}
