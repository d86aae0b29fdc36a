// The real registry in a process of its own (bench/registry-server.ts).
import { RegistryOptions } from '../../__tests__/support/registry';
import { REGISTRY_SERVER } from './paths';
import { startServerProcess } from './servers';

export interface BenchRegistry {
  host: string;
  url: string;
  stop(): Promise<void>;
}

export async function startBenchRegistry(options: RegistryOptions = {}): Promise<BenchRegistry> {
  const server = await startServerProcess(REGISTRY_SERVER, [JSON.stringify(options)]);
  const { host, url } = JSON.parse(server.ready) as { host: string; url: string };
  return { host, url, stop: server.stop };
}
