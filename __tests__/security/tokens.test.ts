// Class 8: a token granted for 10 s or less is still used for the request it was fetched for (real registry,
// the tests' token server on 127.0.0.1).
import { verifyImages } from '../../src/core/verification';
import { imageManifest, PushClient } from '../support/oci';
import { startRegistry } from '../support/registry';
import { startTokenServer } from '../support/token-server';
import { expectation } from '../registry/helpers/images';
import { recordingLog } from '../registry/helpers/recording-log';

describe('short-lived tokens', () => {
  it.each([[0], [5], [10]])(
    'expires_in %i is used for its request, and fetched again after',
    async (seconds) => {
      const tokens = await startTokenServer({ anonymousPull: true, expiresIn: seconds });
      const registry = await startRegistry({ auth: tokens.registryAuth });
      try {
        const admin = tokens.mint('admin', [
          { type: 'repository', name: 'short/app', actions: ['pull', 'push'] },
        ]);
        await new PushClient(registry.url, { authorization: `Bearer ${admin}` }).push(
          'short/app',
          ['v1'],
          imageManifest('linux/amd64', 'docker'),
        );
        const report = await verifyImages(
          [`${registry.host}/short/app:v1`],
          expectation({ platforms: ['linux/amd64'] }),
          { insecureRegistries: [], log: recordingLog() },
        );
        expect(report.images[0].problems).toEqual([]);
        // The manifest, then its config blob: each request asked for a token, none was thrown away unused.
        expect(tokens.requests.length).toBe(2);
      } finally {
        await registry.stop();
        await tokens.stop();
      }
    },
  );
});
