// A registry with distribution's token auth, for the verification benches: the tests' token server (anonymous
// pulls granted) and the registry each behind a latency proxy, so token fetches are counted apart.
import { PushClient } from '../../__tests__/support/oci';
import { startBenchRegistry } from './registry-process';
import { startTokenServer } from '../../__tests__/support/token-server';
import { LatencyProxy, startLatencyProxy } from './latency-proxy';

export interface TokenAuthRegistry {
  /** The registry's proxy first, then the token server's. */
  proxies: LatencyProxy[];
  /** A client that may push to these repositories (with a token minted by the token server). */
  pusher(repositories: string[]): PushClient;
  stop(): Promise<void>;
}

export async function startTokenAuthRegistry(delayMs: number): Promise<TokenAuthRegistry> {
  const tokens = await startTokenServer({ anonymousPull: true });
  const tokenProxy = await startLatencyProxy(tokens.realm, { delayMs, upstream: 'token' });
  const auth = tokens.registryAuth as { token: Record<string, unknown> };
  const registry = await startBenchRegistry({
    auth: { token: { ...auth.token, realm: `${tokenProxy.url}/token` } },
  });
  const registryProxy = await startLatencyProxy(registry.url, { delayMs });
  return {
    proxies: [registryProxy, tokenProxy],
    pusher: (repositories) => {
      const access = repositories.map((name) => ({ type: 'repository', name, actions: ['pull', 'push'] }));
      return new PushClient(registry.url, { authorization: `Bearer ${tokens.mint('bench', access)}` });
    },
    stop: async () => {
      await registryProxy.stop();
      await registry.stop();
      await tokenProxy.stop();
      await tokens.stop();
    },
  };
}
