// Builds image content the way buildx lays it out and pushes it to a registry over the distribution API.
// Shared by the docker test double and the registry/verify tests: one place that knows the wire shapes.
import { createHash, randomBytes } from 'node:crypto';

export const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inToto: 'application/vnd.in-toto+json',
  attestationArtifact: 'application/vnd.docker.attestation.manifest.v1+json',
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
  artifactType?: string;
}

/** A blob or manifest: its bytes, and the descriptor that points at them. */
export interface Content {
  bytes: Buffer;
  descriptor: Descriptor;
}

/** A manifest together with the blobs it references, ready to push. */
export interface Manifest extends Content {
  blobs: Content[];
}

export interface Index extends Content {
  children: Manifest[];
}

export function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function content(mediaType: string, data: Buffer | object): Content {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(JSON.stringify(data));
  return { bytes, descriptor: { mediaType, digest: sha256(bytes), size: bytes.length } };
}

export function parsePlatform(platform: string): Descriptor['platform'] & object {
  const [os, architecture, variant] = platform.split('/');
  return variant ? { os, architecture, variant } : { os, architecture };
}

/** An image manifest for one platform, with a random (or the given) layer, in Docker v2 or OCI media types. */
export function imageManifest(
  platform: string,
  format: 'docker' | 'oci',
  /** A layer to use instead of a random one, to share it between images as a common base does. */
  sharedLayer?: Content,
): Manifest {
  const oci = format === 'oci';
  const layer = sharedLayer ?? content(oci ? MT.ociLayer : MT.dockerLayer, randomBytes(64));
  const { os, architecture, variant } = parsePlatform(platform);
  const config = content(oci ? MT.ociConfig : MT.dockerConfig, {
    architecture,
    os,
    ...(variant ? { variant } : {}),
    config: {},
    rootfs: { type: 'layers', diff_ids: [sha256(layer.bytes)] },
  });
  const manifest = content(oci ? MT.ociManifest : MT.dockerManifest, {
    schemaVersion: 2,
    mediaType: oci ? MT.ociManifest : MT.dockerManifest,
    config: config.descriptor,
    layers: [layer.descriptor],
  });
  manifest.descriptor.platform = parsePlatform(platform);
  return { ...manifest, blobs: [config, layer] };
}

/** in-toto predicate types of the attestations BuildKit writes. */
export const PREDICATE = {
  provenance: 'https://slsa.dev/provenance/v0.2',
  sbom: 'https://spdx.dev/Document',
} as const;

/**
 * The attestation manifest buildx attaches to an image: the classic form (platform unknown/unknown with
 * vnd.docker.reference.* annotations on the index descriptor), or the newer OCI artifact form with a subject.
 * One in-toto layer per predicate: provenance by default, an SPDX SBOM layer when `--sbom` is on.
 */
export function attestationManifest(
  subject: Descriptor,
  form: 'annotation' | 'artifact',
  predicateTypes: readonly string[] = [PREDICATE.provenance],
): Manifest {
  const statements = predicateTypes.map((predicateType) => {
    const statement = content(MT.inToto, {
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType,
      subject: [{ name: 'image', digest: { sha256: subject.digest.slice(7) } }],
      predicate:
        predicateType === PREDICATE.sbom
          ? { spdxVersion: 'SPDX-2.3' }
          : { buildType: 'https://mobyproject.org/buildkit@v1' },
    });
    statement.descriptor.annotations = { 'in-toto.io/predicate-type': predicateType };
    return statement;
  });
  const config = content(MT.ociConfig, {
    architecture: 'unknown',
    os: 'unknown',
    config: {},
    rootfs: { type: 'layers', diff_ids: statements.map((statement) => sha256(statement.bytes)) },
  });
  const body: Record<string, unknown> = {
    schemaVersion: 2,
    mediaType: MT.ociManifest,
    config: config.descriptor,
    layers: statements.map((statement) => statement.descriptor),
  };
  if (form === 'artifact') {
    body.artifactType = MT.attestationArtifact;
    body.subject = { mediaType: subject.mediaType, digest: subject.digest, size: subject.size };
  }
  const manifest = content(MT.ociManifest, body);
  manifest.descriptor.platform = { os: 'unknown', architecture: 'unknown' };
  manifest.descriptor.annotations = {
    'vnd.docker.reference.digest': subject.digest,
    'vnd.docker.reference.type': 'attestation-manifest',
  };
  if (form === 'artifact') manifest.descriptor.artifactType = MT.attestationArtifact;
  return { ...manifest, blobs: [config, ...statements] };
}

/** An index (OCI) or manifest list (Docker) over the given manifests, in the order given. */
export function index(children: Manifest[], mediaType: string = MT.ociIndex): Index {
  const body = { schemaVersion: 2, mediaType, manifests: children.map((c) => c.descriptor) };
  return { ...content(mediaType, body), children };
}

/** A minimal client for the push side of the distribution API, enough for tests and the docker double. */
export class PushClient {
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async pushBlob(repo: string, blob: Content): Promise<void> {
    const head = await this.request('HEAD', `/v2/${repo}/blobs/${blob.descriptor.digest}`);
    if (head.status === 200) return;
    const start = await this.request('POST', `/v2/${repo}/blobs/uploads/`);
    expectStatus(start, 202, 'start upload');
    const location = new URL(start.headers.get('location')!, this.baseUrl);
    location.searchParams.set('digest', blob.descriptor.digest);
    const put = await this.request('PUT', location.toString(), blob.bytes, {
      'content-type': 'application/octet-stream',
    });
    expectStatus(put, 201, `upload ${blob.descriptor.digest}`);
  }

  async pushManifest(repo: string, reference: string, manifest: Content): Promise<void> {
    const put = await this.request('PUT', `/v2/${repo}/manifests/${reference}`, manifest.bytes, {
      'content-type': manifest.descriptor.mediaType,
    });
    expectStatus(put, 201, `put manifest ${reference}`);
  }

  /** Pushes an image and its blobs, or an index with all its children, then tags the top level. */
  async push(repo: string, tags: string[], top: Manifest | Index): Promise<void> {
    const manifests = 'children' in top ? top.children : [top];
    for (const manifest of manifests) {
      for (const blob of manifest.blobs) await this.pushBlob(repo, blob);
      if (manifest !== top) await this.pushManifest(repo, manifest.descriptor.digest, manifest);
    }
    for (const reference of [top.descriptor.digest, ...tags]) await this.pushManifest(repo, reference, top);
  }

  async deleteManifest(repo: string, digest: string): Promise<void> {
    expectStatus(await this.request('DELETE', `/v2/${repo}/manifests/${digest}`), 202, `delete ${digest}`);
  }

  async deleteBlob(repo: string, digest: string): Promise<void> {
    expectStatus(await this.request('DELETE', `/v2/${repo}/blobs/${digest}`), 202, `delete blob ${digest}`);
  }

  private request(method: string, path: string, body?: Buffer, headers: Record<string, string> = {}) {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    return fetch(url, { method, body, headers: { ...this.headers, ...headers } });
  }
}

function expectStatus(response: Response, status: number, what: string): void {
  if (response.status !== status) {
    throw new Error(`${what}: registry answered ${response.status} ${response.statusText}`);
  }
}
