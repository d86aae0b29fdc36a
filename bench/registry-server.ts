// The real registry (__tests__/support/registry.ts) held by a process of its own, so that draining and keeping
// its log costs no CPU in the process being measured.
// Usage: node registry-server.js [REGISTRY_OPTIONS_JSON]   → prints {"host","url"} on one line, then serves
// until SIGTERM.
import { startRegistry } from '../__tests__/support/registry';

void startRegistry(process.argv[2] ? JSON.parse(process.argv[2]) : {}).then((registry) => {
  process.stdout.write(`${JSON.stringify({ host: registry.host, url: registry.url })}\n`);
  process.on('SIGTERM', () => void registry.stop().then(() => process.exit(0)));
});
