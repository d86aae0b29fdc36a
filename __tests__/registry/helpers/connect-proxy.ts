// An HTTP proxy that tunnels with CONNECT (what undici's ProxyAgent speaks), recording every tunnel asked for.
import { createServer } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';

export interface ConnectProxy {
  url: string;
  /** host:port of every CONNECT, with the Proxy-Authorization it carried. */
  tunnels: { target: string; authorization?: string }[];
  stop(): Promise<void>;
}

/**
 * With `credentials` (user:password), tunnels need a matching Proxy-Authorization, else 407. With `route`, a
 * tunnel to a name that only the test knows goes to a loopback address instead: no traffic leaves loopback.
 */
export async function startConnectProxy(
  options: { credentials?: string; route?: (target: string) => string } = {},
): Promise<ConnectProxy> {
  const tunnels: ConnectProxy['tunnels'] = [];
  const sockets = new Set<Socket>();
  const expected = options.credentials && `Basic ${Buffer.from(options.credentials).toString('base64')}`;
  const server = createServer((_req, res) => res.writeHead(405).end('CONNECT only'));
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    const authorization = req.headers['proxy-authorization'];
    tunnels.push({ target, ...(authorization ? { authorization } : {}) });
    client.on('error', () => undefined);
    if (expected && authorization !== expected) {
      client.end(
        'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="proxy"\r\nContent-Length: 0\r\n\r\n',
      );
      return;
    }
    const destination = options.route?.(target) ?? target;
    const colon = destination.lastIndexOf(':');
    const upstream = connect(
      Number(destination.slice(colon + 1)),
      destination.slice(0, colon).replace(/^\[|\]$/g, ''),
      () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      },
    );
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
