import { InputError } from '../../src/core/errors';
import { readVerifyInputs } from '../../src/modes/verify/inputs';
import { parseVerifyArgs } from '../../src/modes/verify/mode';

const source = (values: Record<string, string>) => (name: string) => values[name] ?? '';
const IMAGE = 'ghcr.io/o/app:v1';

describe('readVerifyInputs', () => {
  it('has the documented defaults', () => {
    expect(readVerifyInputs(source({ images: IMAGE }))).toEqual({
      images: [{ raw: IMAGE, domain: 'ghcr.io', registry: 'ghcr.io', repository: 'o/app', tag: 'v1' }],
      expectation: {
        shape: 'auto',
        platforms: [],
        attestations: 'auto',
        mediaTypes: 'any',
        verifyBlobs: false,
      },
      insecureRegistries: [],
    });
  });

  it('reads every input', () => {
    const inputs = readVerifyInputs(
      source({
        images: `${IMAGE}\nreg.local:5000/a,reg.local:5000/b`,
        expect: 'INDEX',
        platforms: 'linux/amd64,linux/arm64',
        attestations: 'allow',
        'media-types': 'oci',
        'verify-blobs': 'true',
        'insecure-registries': 'reg.local:5000\nother',
      }),
    );
    expect(inputs.images.map((image) => image.raw)).toEqual([IMAGE, 'reg.local:5000/a', 'reg.local:5000/b']);
    expect(inputs.expectation).toEqual({
      shape: 'index',
      platforms: ['linux/amd64', 'linux/arm64'],
      attestations: 'allow',
      mediaTypes: 'oci',
      verifyBlobs: true,
    });
    expect(inputs.insecureRegistries).toEqual(['reg.local:5000', 'other']);
  });

  it.each([
    [{ expect: 'index', 'attestation-policy': 'keep' }, 'allow'],
    [{ expect: 'index', 'attestation-policy': 'auto' }, 'auto'],
    [{ expect: 'auto', 'attestation-policy': 'keep' }, 'deny'],
    [{ expect: 'index', 'attestation-policy': 'keep', attestations: 'deny' }, 'deny'],
  ])('attestations default with %j is %s', (values, attestations) => {
    expect(readVerifyInputs(source({ images: IMAGE, ...values })).expectation.attestations).toBe(
      attestations,
    );
  });

  it.each([
    [{}, 'Invalid images: "". List at least one image reference, e.g. ghcr.io/owner/app:v1.'],
    [{ images: 'Ghcr.io/O/App' }, 'Invalid images: "Ghcr.io/O/App". Repository names must be lowercase.'],
    [{ images: `${IMAGE}\nbad ref` }, 'Invalid images: "bad ref". A reference has no spaces.'],
    [{ images: IMAGE, expect: 'list' }, 'Invalid expect: "list". Use one of: auto, manifest, index.'],
    [
      { images: IMAGE, attestations: 'maybe' },
      'Invalid attestations: "maybe". Use one of: auto, allow, deny, require.',
    ],
    [{ images: IMAGE, 'media-types': 'v2' }, 'Invalid media-types: "v2". Use one of: any, docker, oci.'],
    [{ images: IMAGE, 'verify-blobs': 'sometimes' }, 'Invalid verify-blobs: "sometimes". Use true or false.'],
    [
      { images: IMAGE, platforms: 'linux' },
      'Invalid platforms: "linux". Use os/arch[/variant], e.g. linux/amd64 or linux/arm/v7.',
    ],
    [
      { images: IMAGE, expect: 'manifest', platforms: 'linux/amd64,linux/arm64' },
      'Invalid platforms: "linux/amd64,linux/arm64". A single manifest holds one platform: use expect index for several, or name one platform.',
    ],
    [
      { images: IMAGE, 'insecure-registries': 'http://reg.local:5000' },
      'Invalid insecure-registries: "http://reg.local:5000". Use host or host:port, without a scheme or path, e.g. registry.local:5000.',
    ],
    [
      { images: IMAGE, 'attestation-policy': 'drop' },
      'Invalid attestation-policy: "drop". Use one of: auto, strip, keep.',
    ],
  ])('%j -> %s', (values, message) => {
    const read = () => readVerifyInputs(source(values));
    expect(read).toThrow(InputError);
    expect(read).toThrow(message);
  });
});

describe('parseVerifyArgs', () => {
  it('maps flags onto the action input names', () => {
    expect(
      parseVerifyArgs([
        '--expect',
        'index',
        '--platforms=linux/amd64,linux/arm64',
        '--attestations',
        'allow',
        '--media-types',
        'docker',
        '--verify-blobs',
        '--insecure-registry',
        'a:5000',
        '--insecure-registry=b',
        '--format',
        'json',
        'r1',
        'r2',
      ]),
    ).toEqual({
      help: false,
      inputs: {
        images: 'r1\nr2',
        expect: 'index',
        platforms: 'linux/amd64,linux/arm64',
        attestations: 'allow',
        'media-types': 'docker',
        'verify-blobs': 'true',
        'insecure-registries': 'a:5000\nb',
        format: 'json',
      },
    });
  });

  it.each([[['-h']], [['--help', 'ref']]])('%j asks for help', (args) =>
    expect(parseVerifyArgs(args).help).toBe(true),
  );

  it.each([
    [['--bogus', 'r'], 'Invalid option: "--bogus". See buildx-guard verify --help for the options.'],
    [['--expect'], 'Invalid option: "--expect <value>". See buildx-guard verify --help for the options.'],
    [
      ['--verify-blobs=yes', 'r'],
      'Invalid option: "--verify-blobs". See buildx-guard verify --help for the options.',
    ],
  ])('%j -> %s', (args, message) => {
    expect(() => parseVerifyArgs(args)).toThrow(InputError);
    expect(() => parseVerifyArgs(args)).toThrow(message);
  });
});
