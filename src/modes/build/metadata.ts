// What buildx reports about a build in its metadata file, and the image references to verify after a push.
import { CheckError } from '../../core/errors';

export interface BuildResult {
  /** The metadata file as buildx wrote it (the `metadata` output); `{}` when there was none. */
  metadataText: string;
  /** The `imageid` output: the iid file (config digest, or image digest without one). */
  imageId: string;
  /** The `digest` output: `containerimage.digest`. */
  digest: string;
  /** `containerimage.descriptor.mediaType`: the free first look, before the registry answers. */
  mediaType: string;
  /** `image.name`, split: every name the image was exported to. */
  names: string[];
  /** `containerimage.descriptor.platform` as os/arch[/variant]: set for a single-platform image only. */
  platform: string;
}

export function readBuildResult(metadataText: string | undefined, iidText: string | undefined): BuildResult {
  const text = metadataText?.trim() || '{}';
  let metadata: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    metadata = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch (error) {
    throw new CheckError(`buildx wrote a metadata file that is not JSON: ${(error as Error).message}`);
  }
  const descriptor = metadata['containerimage.descriptor'];
  const { mediaType: descriptorType, platform } =
    descriptor && typeof descriptor === 'object'
      ? (descriptor as { mediaType?: unknown; platform?: Record<string, unknown> })
      : {};
  return {
    metadataText: text,
    imageId: iidText?.trim() ?? '',
    digest: asString(metadata['containerimage.digest']),
    mediaType: asString(descriptorType),
    names: asString(metadata['image.name'])
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
    platform: platform && typeof platform === 'object' ? platformText(platform) : '',
  };
}

function platformText(platform: Record<string, unknown>): string {
  return [platform.os, platform.architecture, platform.variant]
    .filter((part) => typeof part === 'string' && part)
    .join('/');
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The repository of an image name: without its tag or digest (a port in the host is not a tag). */
export function repositoryOf(name: string): string {
  const withoutDigest = name.split('@')[0];
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * The references to verify after a push: every tag (an untagged name was pushed as `:latest`, unless it was
 * pushed by digest only) and `<repository>@<digest>` once per repository.
 */
export function refsToVerify(names: readonly string[], digest: string, pushByDigest: boolean): string[] {
  const repositories = [...new Set(names.map(repositoryOf))];
  const tags = pushByDigest
    ? []
    : names.map((name) => (name === repositoryOf(name) ? `${name}:latest` : name));
  const byDigest = digest ? repositories.map((repo) => `${repo}@${digest}`) : [];
  return [...new Set([...tags, ...byDigest])];
}
