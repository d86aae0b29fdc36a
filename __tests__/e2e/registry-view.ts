// What a registry serves, read with plain fetch: the tests' own oracle, independent of the tool's client.
import { MT } from '../support/oci';

const ACCEPT = [MT.ociIndex, MT.dockerList, MT.ociManifest, MT.dockerManifest].join(', ');

export interface Served {
  status: number;
  mediaType: string;
  digest: string;
  body: {
    mediaType?: string;
    manifests?: {
      digest: string;
      mediaType: string;
      platform?: { os: string; architecture: string; variant?: string };
      annotations?: Record<string, string>;
    }[];
    layers?: { mediaType: string; annotations?: Record<string, string> }[];
    config?: { digest: string };
  };
}

/** GET a manifest by tag or digest from `http://host`, as a client accepting every type would. */
export async function served(host: string, repository: string, reference: string): Promise<Served> {
  const response = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, {
    headers: { accept: ACCEPT },
  });
  const text = await response.text();
  return {
    status: response.status,
    mediaType: response.headers.get('content-type') ?? '',
    digest: response.headers.get('docker-content-digest') ?? '',
    body: response.ok ? JSON.parse(text) : {},
  };
}

export function platformsOf(index: Served): string[] {
  return (index.body.manifests ?? []).map((m) =>
    [m.platform?.os, m.platform?.architecture, m.platform?.variant].filter(Boolean).join('/'),
  );
}

export function attestationChildren(index: Served) {
  return (index.body.manifests ?? []).filter(
    (m) => m.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest',
  );
}
