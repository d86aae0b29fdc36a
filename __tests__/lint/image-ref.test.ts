import { normalizeRef } from '../../src/modes/lint/image-ref';

describe('normalizeRef', () => {
  it.each([
    ['alpine', 'docker.io/library/alpine:latest'],
    ['alpine:3', 'docker.io/library/alpine:3'],
    ['docker.io/alpine', 'docker.io/library/alpine:latest'],
    ['index.docker.io/library/alpine:3', 'docker.io/library/alpine:3'],
    ['acme/app:1', 'docker.io/acme/app:1'],
    ['ghcr.io/acme/app', 'ghcr.io/acme/app:latest'],
    ['localhost:5000/app:1', 'localhost:5000/app:1'],
    ['localhost/app', 'localhost/app:latest'],
    ['registry:5000/team/app', 'registry:5000/team/app:latest'],
    ['app@sha256:abc', 'docker.io/library/app@sha256:abc'],
    ['app:1@sha256:abc', 'docker.io/library/app:1@sha256:abc'],
    ['ghcr.io/acme/app:${{ github.sha }}-amd64', 'ghcr.io/acme/app:${{ github.sha }}-amd64'],
    ['${{ env.REGISTRY }}/app:1', '${{ env.REGISTRY }}/app:1'],
    ['$IMAGE', '$IMAGE:latest'],
    ['  acme/app  ', 'docker.io/acme/app:latest'],
  ])('%s', (written, normalized) => {
    expect(normalizeRef(written)).toBe(normalized);
  });
});
