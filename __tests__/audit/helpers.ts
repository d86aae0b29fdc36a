// Shapes for audit and repair tests, pushed to a real registry, and what the registry stores for them.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import {
  attestationManifest,
  content,
  imageManifest,
  index,
  Index,
  Manifest,
  MT,
  PushClient,
} from '../support/oci';
import { buildxIndex } from '../registry/helpers/images';
import { TestRegistry } from '../support/registry';
import { recordingLog } from '../registry/helpers/recording-log';
import { Log } from '../../src/core/output/log';

/** Bytes the registry stores for a digest (manifests are stored as blobs too). */
export function storedBytes(registry: TestRegistry, digest: string): number {
  const hex = digest.slice('sha256:'.length);
  return statSync(join(registry.rootDir, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data'))
    .size;
}

/** Every digest of a pushed top level: itself, its children, their configs and layers. */
export function digestsOf(top: Manifest | Index): string[] {
  const manifests = 'children' in top ? top.children : [];
  return [
    top.descriptor.digest,
    ...('blobs' in top ? (top as Manifest).blobs.map((b) => b.descriptor.digest) : []),
    ...manifests.flatMap((m) => [m.descriptor.digest, ...m.blobs.map((b) => b.descriptor.digest)]),
  ];
}

/** An index that holds another index (imagetools create over an index makes one), and an image. */
export async function pushNested(push: PushClient, repo: string, tag: string) {
  const inner = buildxIndex(['linux/amd64'], 'none');
  const arm = imageManifest('linux/arm64', 'oci');
  await push.push(repo, [], inner);
  for (const blob of arm.blobs) await push.pushBlob(repo, blob);
  await push.pushManifest(repo, arm.descriptor.digest, arm);
  const top = content(MT.ociIndex, {
    schemaVersion: 2,
    mediaType: MT.ociIndex,
    manifests: [inner.descriptor, arm.descriptor],
  });
  await push.pushManifest(repo, tag, top);
  return { top, inner, arm, digests: [top.descriptor.digest, ...digestsOf(inner), ...digestsOf(arm)] };
}

export { attestationManifest, buildxIndex, imageManifest, index, MT };
export const quietLog = (): Log => recordingLog();
