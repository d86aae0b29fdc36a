// The latency proxy's own process (see lib/latency-proxy.ts).
// Usage: node latency-proxy.js TARGET_URL DELAY_MS registry|token   → prints its port, then serves until killed.
import { AddressInfo } from 'node:net';
import { serveLatencyProxy, Upstream } from './lib/latency-proxy';

const [target, delayMs, upstream] = process.argv.slice(2);
void serveLatencyProxy(target, Number(delayMs), upstream as Upstream).then((server) => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
  process.on('SIGTERM', () => process.exit(0));
});
