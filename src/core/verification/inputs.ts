// The expectation and transport inputs every registry-reading mode shares (verify, build's post-push check,
// audit): action inputs, or the CLI's flags mapped onto the same names, validated in one place.
import { InputError } from '../errors';
import { InputSource, parseBoolean, parseChoice, parseList } from '../inputs';
import { isPlatformText } from './platform';
import { Expectation } from './report';

const SHAPES = ['auto', 'manifest', 'index'] as const;
const ATTESTATIONS = ['auto', 'allow', 'deny', 'require'] as const;
const MEDIA_TYPES = ['any', 'docker', 'oci'] as const;
const POLICIES = ['auto', 'strip', 'keep'] as const;
const REGISTRY_HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::\d+)?$/;

/** `expect`, `platforms`, `attestations`, `media-types` and `verify-blobs`. */
export function readExpectation(get: InputSource): Expectation {
  const shape = parseChoice(get, 'expect', SHAPES, 'auto');
  const platforms = readPlatforms(get);
  if (shape === 'manifest' && platforms.length > 1) {
    throw new InputError(
      'platforms',
      platforms.join(','),
      'A single manifest holds one platform: use expect index for several, or name one platform.',
    );
  }
  return {
    shape,
    platforms,
    attestations: parseChoice(get, 'attestations', ATTESTATIONS, defaultAttestations(get, shape)),
    mediaTypes: parseChoice(get, 'media-types', MEDIA_TYPES, 'any'),
    verifyBlobs: parseBoolean(get, 'verify-blobs', false),
  };
}

/**
 * As the attestation policy builds: `auto` allows them in multi-platform indexes only, `strip` denies them,
 * and `keep` allows them where an index is expected (see action.yml).
 */
function defaultAttestations(get: InputSource, shape: Expectation['shape']): Expectation['attestations'] {
  const policy = parseChoice(get, 'attestation-policy', POLICIES, 'auto');
  if (policy === 'auto') return 'auto';
  return shape === 'index' && policy === 'keep' ? 'allow' : 'deny';
}

/** `platforms`: os/arch[/variant] entries, comma- or newline-separated. */
function readPlatforms(get: InputSource): string[] {
  const platforms = parseList(get('platforms'));
  const bad = platforms.find((platform) => !isPlatformText(platform));
  if (bad !== undefined) {
    throw new InputError('platforms', bad, 'Use os/arch[/variant], e.g. linux/amd64 or linux/arm/v7.');
  }
  return platforms;
}

/** `insecure-registries`: host[:port] entries that may be reached over plain http. */
export function readInsecureRegistries(get: InputSource): string[] {
  const hosts = parseList(get('insecure-registries'));
  const bad = hosts.find((host) => !REGISTRY_HOST.test(host));
  if (bad !== undefined) {
    throw new InputError(
      'insecure-registries',
      bad,
      'Use host or host:port, without a scheme or path, e.g. registry.local:5000.',
    );
  }
  return hosts;
}

/** The CLI flags for the expectation and transport inputs, as node:util parseArgs options. */
export const EXPECTATION_FLAGS = {
  expect: { type: 'string' },
  platforms: { type: 'string' },
  attestations: { type: 'string' },
  'media-types': { type: 'string' },
  'verify-blobs': { type: 'boolean' },
  'insecure-registry': { type: 'string', multiple: true },
} as const;

/** Those flags' values under the action's input names, so the CLI and the action share one validation. */
export function expectationInputs(
  values: Record<string, string | boolean | string[] | undefined>,
): Record<string, string> {
  const text = (name: string) => (typeof values[name] === 'string' ? values[name] : '');
  return {
    expect: text('expect'),
    platforms: text('platforms'),
    attestations: text('attestations'),
    'media-types': text('media-types'),
    'verify-blobs': values['verify-blobs'] ? 'true' : '',
    'insecure-registries': ((values['insecure-registry'] as string[] | undefined) ?? []).join('\n'),
  };
}

/** The usage lines for those flags. */
export const EXPECTATION_USAGE = `  --expect auto|manifest|index      expected top-level shape (default auto: either)
  --platforms LIST                  platforms an index must hold exactly, comma-separated (os/arch[/variant])
  --attestations auto|allow|deny|require
                                    attestation children (default auto: allowed in a multi-platform
                                    index, not in a single-platform one; require: one per image)
  --media-types any|docker|oci      accepted media-type family (default any)
  --verify-blobs                    also check every config and layer blob
  --insecure-registry HOST          reach HOST[:port] over plain http (repeatable; loopback always may)`;
