// A small token server for distribution's token auth: RS256 JWTs with an x5c chain, `aud` as a string.
import { createSign, randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Certificate, selfSignedCertificate } from './tls';

export interface TokenServerOptions {
  /** user -> password, accepted as Basic on GET. */
  users?: Record<string, string>;
  /** refresh token -> user, accepted through the refresh_token grant on POST. */
  identityTokens?: Record<string, string>;
  /** Grant anonymous pulls. */
  anonymousPull?: boolean;
  /** The expires_in of every token (default 300 s; the tokens themselves stay valid). */
  expiresIn?: number;
}

export interface TokenRequest {
  method: string;
  url: string;
  authorization?: string;
  body: string;
  /** Who the request was granted for, or undefined when refused. */
  grantedTo?: string;
}

export interface Access {
  type: string;
  name: string;
  actions: string[];
}

export interface TokenServer {
  realm: string;
  /** The registry config's `auth` section for this server. */
  registryAuth: Record<string, unknown>;
  requests: TokenRequest[];
  /** A token signed like the server's own, for test setup (pushing through the registry). */
  mint(subject: string, access: Access[]): string;
  stop(): Promise<void>;
}

const SERVICE = 'buildx-guard-registry';
const ISSUER = 'buildx-guard-token-server';
const USER_ACTIONS = ['pull', 'push', 'delete'];

export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const cert = selfSignedCertificate('buildx-guard-token-signer');
  const requests: TokenRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const record: TokenRequest = { method: req.method ?? '', url: req.url ?? '', body };
    if (req.headers.authorization) record.authorization = req.headers.authorization;
    requests.push(record);
    const url = new URL(req.url ?? '/', 'http://token');
    const form = new URLSearchParams(body);
    const params = req.method === 'POST' ? form : url.searchParams;
    const subject = authenticate(req, form, options);
    if (subject === undefined) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
      return;
    }
    record.grantedTo = subject;
    const access = params.getAll('scope').flatMap((scope) => grant(scope, subject));
    const token = sign(cert, subject, access);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        token,
        access_token: token,
        expires_in: options.expiresIn ?? 300,
        issued_at: new Date().toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const realm = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
  return {
    realm,
    registryAuth: { token: { realm, service: SERVICE, issuer: ISSUER, rootcertbundle: cert.certificate } },
    requests,
    mint: (subject, access) => sign(cert, subject, access),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The subject to issue for: a user, `anonymous`, or undefined to refuse. */
function authenticate(
  req: IncomingMessage,
  form: URLSearchParams,
  options: TokenServerOptions,
): string | undefined {
  if (req.method === 'POST') {
    if (form.get('grant_type') !== 'refresh_token') return undefined;
    return options.identityTokens?.[form.get('refresh_token') ?? ''];
  }
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  if (!basic) return options.anonymousPull ? 'anonymous' : undefined;
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const user = decoded.slice(0, decoded.indexOf(':'));
  const password = decoded.slice(decoded.indexOf(':') + 1);
  return options.users?.[user] === password ? user : undefined;
}

/** `repository:name:pull,push` -> the actions this subject may have on it. */
function grant(scope: string, subject: string): Access[] {
  return scope.split(' ').flatMap((item) => {
    const [type, name, actions] = item.split(':');
    if (type !== 'repository' || !name || !actions) return [];
    const allowed = subject === 'anonymous' ? ['pull'] : USER_ACTIONS;
    const granted = actions.split(',').filter((action) => allowed.includes(action));
    return granted.length > 0 ? [{ type, name, actions: granted }] : [];
  });
}

function sign(cert: Certificate, subject: string, access: Access[]): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', x5c: [cert.derBase64] };
  const claims = {
    iss: ISSUER,
    sub: subject,
    aud: SERVICE,
    exp: now + 300,
    nbf: now - 10,
    iat: now,
    jti: randomBytes(8).toString('hex'),
    access,
  };
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(cert.keyPem);
  return `${input}.${base64url(signature)}`;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => resolve(body));
  });
}
