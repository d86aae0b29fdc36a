// Connections through an HTTP(S) proxy with CONNECT. undici 5's ProxyAgent goes on to a TLS handshake over the
// socket of a refused tunnel (a 407, say), which leaves the process waiting for its connect timeout; this does not.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { buildConnector } from 'undici';
import { decodeUserinfo } from './proxy';

class TunnelError extends Error {
  readonly code = 'BXG_PROXY';
}

/** An undici connector that opens each connection as a CONNECT tunnel through `proxy`. */
export function tunnelConnector(proxy: URL, timeoutMs: number): buildConnector.connector {
  const tls = buildConnector({ timeout: timeoutMs });
  const authorization = proxy.username
    ? `Basic ${Buffer.from(`${decodeUserinfo(proxy.username)}:${decodeUserinfo(proxy.password)}`).toString('base64')}`
    : undefined;
  const shown = `${proxy.protocol}//${proxy.host}`;
  return (options, callback) => {
    const target = `${options.hostname}:${options.port || (options.protocol === 'https:' ? 443 : 80)}`;
    let done = false;
    const finish = (...args: buildConnector.CallbackArgs) => {
      if (done) return;
      done = true;
      callback(...args);
    };
    const connect = (proxy.protocol === 'https:' ? httpsRequest : httpRequest)({
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      method: 'CONNECT',
      path: target,
      headers: { host: target, ...(authorization ? { 'proxy-authorization': authorization } : {}) },
      timeout: timeoutMs,
      agent: false,
    });
    connect.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        const hint =
          response.statusCode === 407
            ? ': put the user and password in the proxy URL (http://user:password@host:port)'
            : '';
        finish(
          new TunnelError(`the proxy ${shown} answered ${response.statusCode} to CONNECT ${target}${hint}`),
          null,
        );
      } else if (options.protocol !== 'https:') {
        finish(null, socket);
      } else {
        tls({ ...options, httpSocket: socket }, (error, tlsSocket) =>
          error ? finish(error, null) : finish(null, tlsSocket!),
        );
      }
    });
    connect.once('timeout', () =>
      connect.destroy(new TunnelError(`the proxy ${shown} did not answer within ${timeoutMs} ms`)),
    );
    connect.once('error', (error) => finish(error, null));
    connect.end();
  };
}
