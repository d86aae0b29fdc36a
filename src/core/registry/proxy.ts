// Which proxy a request goes through, from HTTP(S)_PROXY and NO_PROXY (Node's fetch and undici 5 ignore them).
import { BlockList, isIP } from 'node:net';
import { InputError } from '../errors';

/**
 * The proxy URL for `url`, or undefined to connect directly, as Go's net/http (golang.org/x/net/http/httpproxy)
 * decides, which docker and containerd use: upper-case variables win over lower-case; loopback (localhost,
 * 127.0.0.0/8, ::1) is never proxied, so credentials for a local registry never cross a proxy; then NO_PROXY.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | undefined {
  const https = url.protocol === 'https:';
  const name = https ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const lower = name.toLowerCase();
  const raw = (env[name] || env[lower] || '').trim();
  if (raw === '' || bypassesProxy(url, env.NO_PROXY || env.no_proxy || '')) return undefined;
  return parseProxyUrl(raw, env[name] ? name : lower);
}

/**
 * Go's httpproxy rules: entries separated by commas (white space around each is trimmed); `*` alone bypasses
 * everything; a CIDR or an IP (with an optional port) matches IP hosts; `example.com` matches it and its
 * subdomains, `.example.com` and `*.example.com` only its subdomains; a `:port` must match the request's.
 */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  const host = stripBrackets(url.hostname.toLowerCase());
  if (host === 'localhost' || isLoopbackIp(host)) return true;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const entries = noProxy
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  return entries.includes('*') || entries.some((entry) => matchesEntry(entry, host, port));
}

function isLoopbackIp(host: string): boolean {
  const family = isIP(host);
  if (family === 0) return false;
  const loopback = new BlockList();
  loopback.addSubnet('127.0.0.0', 8, 'ipv4');
  loopback.addAddress('::1', 'ipv6');
  // ::ffff:127.0.0.1 is loopback too, as Go's IsLoopback says.
  loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
  return loopback.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

function matchesEntry(entry: string, host: string, port: string): boolean {
  if (entry.includes('/')) return inCidr(entry, host);
  const { name, port: entryPort } = splitHostPort(entry);
  if (name === '') return false;
  const portMatches = entryPort === undefined || entryPort === port;
  if (isIP(name) !== 0) return isIP(host) !== 0 && sameIp(name, host) && portMatches;
  const suffix = name.startsWith('*.') ? name.slice(1) : name;
  const matchHost = !suffix.startsWith('.');
  const domain = matchHost ? `.${suffix}` : suffix;
  return (host.endsWith(domain) || (matchHost && host === domain.slice(1))) && portMatches;
}

function sameIp(a: string, b: string): boolean {
  const list = new BlockList();
  list.addAddress(a, isIP(a) === 4 ? 'ipv4' : 'ipv6');
  return list.check(b, isIP(b) === 4 ? 'ipv4' : 'ipv6');
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
  // A `/`, `?` or `#` in the password ends the host part early: the URL would name another host, and the rest
  // of the password would show wherever the proxy is named.
  if (raw.includes('@') && url.username === '' && url.password === '') {
    throw new InputError(
      variable,
      redactUserinfo(raw),
      'Percent-encode the user and password (a / is %2F, @ is %40, % is %25): http://user:password@host:port.',
    );
  }
  return url;
}

/** Hides the user and password in `[scheme://]user:password@host`, whatever they hold, so a URL can be shown. */
export function redactUserinfo(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^]*@/i, '$1***@');
}

/** A percent-decoded part of a URL, or the part as written when it is not valid percent-encoding. */
export function decodeUserinfo(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
