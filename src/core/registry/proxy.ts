// Which proxy a request goes through, from HTTP(S)_PROXY and NO_PROXY (Node's fetch and undici 5 ignore them).
import { BlockList, isIP } from 'node:net';
import { InputError } from '../errors';

/**
 * The proxy URL for `url`, or undefined to connect directly. Upper-case variables win over lower-case, as in
 * Go's net/http. NO_PROXY entries: `*`, a host or domain (`example.com` and `.example.com` also match
 * subdomains), an optional `:port`, an IP, or a CIDR. Loopback is not exempt unless NO_PROXY says so, as in curl.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const https = url.protocol === 'https:';
  const name = https ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const lower = name.toLowerCase();
  const raw = (env[name] || env[lower] || '').trim();
  if (raw === '' || bypassesProxy(url, env.NO_PROXY ?? env.no_proxy ?? '')) return undefined;
  return parseProxyUrl(raw, env[name] ? name : lower);
}

export function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = stripBrackets(url.hostname.toLowerCase());
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .some((entry) => entry === '*' || matchesEntry(entry.toLowerCase(), host, port));
}

function matchesEntry(entry: string, host: string, port: string): boolean {
  if (entry.includes('/')) return inCidr(entry, host);
  const { name, port: entryPort } = splitHostPort(entry);
  if (entryPort !== undefined && entryPort !== port) return false;
  const domain = name.replace(/^\*?\./, '');
  if (isIP(domain) !== 0) return domain === host;
  return host === domain || host.endsWith(`.${domain}`);
}

function inCidr(entry: string, host: string): boolean {
  const [address, bits] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || isIP(host) !== family || !/^\d+$/.test(bits)) return false;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  try {
    list.addSubnet(address, Number(bits), type);
  } catch {
    return false; // a prefix out of range matches nothing, as an unparsable entry in Go's httpproxy does
  }
  return list.check(host, type);
}

/** Splits `host:port`, `[v6]:port`, a bare v6 address or a bare host. */
function splitHostPort(entry: string): { name: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { name: bracketed[1], port: bracketed[2] };
  if (isIP(entry) === 6) return { name: entry };
  const match = /^(.*):(\d+)$/.exec(entry);
  return match ? { name: match[1], port: match[2] } : { name: entry };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

/** A proxy URL; a bare host:port means http://host:port, as curl and Go read it. */
function parseProxyUrl(raw: string, variable: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new InputError(variable, redactUserinfo(raw), 'Use http://host:port or https://host:port.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(variable, redactUserinfo(raw), 'Only http:// and https:// proxies are supported.');
  }
  return url;
}

/** Hides the user and password in `[scheme://]user:password@host` so a URL can appear in a message. */
export function redactUserinfo(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i, '$1***@');
}
