// The buildx test double must behave like buildx, or the end-to-end tests prove nothing. These tests pin its
// behaviour to buildx's documented and observed behaviour, against the real registry.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry, TestRegistry } from '../support/registry';
import { DOUBLE_BIN } from '../support/action-runner';
import { readInvocations } from '../support/docker-double/invocations';
import { MT } from '../support/oci';
import { attestationChildren, platformsOf, served } from './registry-view';

let registry: TestRegistry;
let work: string;
let counter = 0;

beforeAll(async () => {
  registry = await startRegistry();
  work = mkdtempSync(join(tmpdir(), 'bxg-double-'));
  mkdirSync(join(work, 'ctx'));
  writeFileSync(join(work, 'ctx', 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
  mkdirSync(join(work, 'nodockerfile'));
});
afterAll(async () => {
  await registry?.stop();
  rmSync(work, { recursive: true, force: true });
});

function docker(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(join(DOUBLE_BIN, 'docker'), args, {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh repository per test, so tests never see each other's tags. */
function repo(): string {
  counter += 1;
  return `double/t${counter}`;
}

describe('docker buildx version / inspect', () => {
  it.each([
    [{}, /^github\.com\/docker\/buildx v0\.19\.3 [0-9a-f]{7}\n$/],
    [{ BXG_BUILDX_VERSION: '0.9.1' }, /^github\.com\/docker\/buildx v0\.9\.1 [0-9a-f]{7}\n$/],
  ])('version %j', (env, output) => {
    expect(docker(['buildx', 'version'], env)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(output),
    });
  });

  it('inspect names the builder and lists its platforms, default first', () => {
    const { code, stdout } = docker(['buildx', 'inspect', '--builder', 'ci'], {
      BXG_BUILDER_PLATFORMS: 'linux/arm64,linux/amd64',
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Name: +ci$/m);
    expect(stdout).toMatch(/^Platforms: +linux\/arm64, linux\/amd64$/m);
  });

  it('anything but buildx is not a command it knows', () => {
    expect(docker(['manifest', 'inspect', 'x'])).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("'manifest' is not a docker command"),
    });
  });
});

describe('docker buildx build: flags as buildx parses them', () => {
  it.each<[string, string[], Record<string, string>, number, string]>([
    ['an unknown flag', ['--frobnicate', 'ctx'], {}, 125, 'unknown flag: --frobnicate'],
    ['an unknown shorthand', ['-z', 'ctx'], {}, 125, "unknown shorthand flag: 'z' in -z"],
    ['a value flag without its value', ['ctx', '--tag'], {}, 125, 'flag needs an argument: --tag'],
    ['a bad boolean', ['--push=maybe', 'ctx'], {}, 125, 'invalid argument "maybe" for "--push" flag'],
    [
      'buildx 0.9 has no --provenance',
      ['--provenance=false', 'ctx'],
      { BXG_BUILDX_VERSION: '0.9.1' },
      125,
      'unknown flag: --provenance',
    ],
    [
      'buildx 0.9 has no --attest',
      ['--attest', 'type=sbom', 'ctx'],
      { BXG_BUILDX_VERSION: '0.9.1' },
      125,
      'unknown flag: --attest',
    ],
    [
      'buildx 0.11 has no --annotation',
      ['--annotation', 'a=b', 'ctx'],
      { BXG_BUILDX_VERSION: '0.11.2' },
      125,
      'unknown flag: --annotation',
    ],
    ['no context', ['-t', 'x'], {}, 1, 'ERROR: "docker buildx build" requires exactly 1 argument.'],
    ['two contexts', ['ctx', 'ctx'], {}, 1, 'requires exactly 1 argument'],
    [
      'a type given twice',
      ['--provenance=false', '--attest', 'type=provenance,disabled=true', 'ctx'],
      {},
      1,
      'ERROR: duplicate attestation field provenance',
    ],
    [
      'sbom twice',
      ['--sbom=false', '--attest', 'type=sbom', 'ctx'],
      {},
      1,
      'ERROR: duplicate attestation field sbom',
    ],
    [
      'an attest without a type',
      ['--attest', 'mode=max', 'ctx'],
      {},
      1,
      'ERROR: attestation type not specified',
    ],
    [
      'a bad BUILDX_NO_DEFAULT_ATTESTATIONS',
      ['ctx'],
      { BUILDX_NO_DEFAULT_ATTESTATIONS: 'yes' },
      1,
      'ERROR: invalid BUILDX_NO_DEFAULT_ATTESTATIONS',
    ],
    ['a missing context', ['nope'], {}, 1, 'ERROR: unable to prepare context: path "nope" not found'],
    [
      'a missing Dockerfile',
      ['nodockerfile'],
      {},
      1,
      'ERROR: failed to solve: failed to read dockerfile: open Dockerfile',
    ],
    [
      'a missing -f file',
      ['-f', 'x/Dockerfile', 'ctx'],
      {},
      1,
      'open x/Dockerfile: no such file or directory',
    ],
    ['a push without a tag', ['--push', 'ctx'], {}, 1, 'ERROR: tag is needed when pushing to registry'],
    ['an invalid tag', ['-t', 'Bad:Tag:x', 'ctx'], {}, 1, 'ERROR: invalid tag "Bad:Tag:x"'],
    [
      'push and load before 0.13',
      ['--push', '--load', '-t', 'r/a', 'ctx'],
      { BXG_BUILDX_VERSION: '0.12.1' },
      1,
      'ERROR: push and load may not be set together at the moment',
    ],
    [
      'two outputs before 0.13',
      ['-o', 'type=local,dest=a', '-o', 'type=tar,dest=b.tar', 'ctx'],
      { BXG_BUILDX_VERSION: '0.12.1' },
      1,
      'ERROR: multiple outputs currently unsupported',
    ],
    [
      'iidfile with a local export',
      ['--iidfile', 'iid', '-o', 'type=local,dest=out', 'ctx'],
      {},
      1,
      'ERROR: local and tar exporters are incompatible with image ID file',
    ],
    [
      'load of several platforms',
      ['--load', '--platform', 'linux/amd64,linux/arm64', 'ctx'],
      {},
      1,
      'ERROR: docker exporter does not currently support exporting manifest lists',
    ],
    [
      'a failing build step',
      ['ctx'],
      { BXG_BUILD_FAIL: 'process "/bin/sh -c make" did not complete successfully: exit code: 2' },
      1,
      'ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2',
    ],
    [
      'a push to a non-loopback registry',
      ['--push', '-t', 'ghcr.io/o/a:1', '--provenance=false', 'ctx'],
      {},
      1,
      'ERROR: failed to push ghcr.io/o/a:1',
    ],
  ])('rejects %s', (_name, args, env, code, message) => {
    const result = docker(['buildx', 'build', ...args], env);
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(message);
  });

  it('records each invocation with BUILDX_NO_DEFAULT_ATTESTATIONS', () => {
    const log = join(work, `invocations-${counter++}.jsonl`);
    docker(['buildx', 'version'], { BXG_DOCKER_LOG: log });
    docker(['buildx', 'build', '--load', 'ctx'], {
      BXG_DOCKER_LOG: log,
      BUILDX_NO_DEFAULT_ATTESTATIONS: '1',
    });
    expect(readInvocations(log)).toEqual([
      { argv: ['buildx', 'version'], noDefaultAttestations: null },
      { argv: ['buildx', 'build', '--load', 'ctx'], noDefaultAttestations: '1' },
    ]);
  });
});

describe('docker buildx build: what it pushes', () => {
  async function push(args: string[], env: Record<string, string> = {}) {
    const repository = repo();
    const metadataFile = join(work, `meta-${counter}.json`);
    const iidFile = join(work, `iid-${counter}.txt`);
    const tag = `${registry.host}/${repository}:1`;
    const result = docker(
      [
        'buildx',
        'build',
        '--metadata-file',
        metadataFile,
        '--iidfile',
        iidFile,
        '-t',
        tag,
        '--push',
        ...args,
        'ctx',
      ],
      env,
    );
    expect(result).toMatchObject({ code: 0 });
    const top = await served(registry.host, repository, '1');
    const metadata = JSON.parse(readFileSync(metadataFile, 'utf8'));
    return { repository, tag, top, metadata, iid: readFileSync(iidFile, 'utf8'), stderr: result.stderr };
  }

  it('buildx ≥0.10 default: a single-platform push is an OCI index with an unknown/unknown attestation child', async () => {
    const { top, metadata, iid, tag, repository } = await push([]);
    expect(top.mediaType).toBe(MT.ociIndex);
    expect(platformsOf(top)).toEqual(['linux/amd64', 'unknown/unknown']);
    const [attestation] = attestationChildren(top);
    expect(attestation.annotations!['vnd.docker.reference.digest']).toBe(top.body.manifests![0].digest);
    expect(metadata).toEqual({
      'buildx.build.ref': expect.stringMatching(/^builder\/builder0\/[0-9a-f]+$/),
      'containerimage.config.digest': expect.stringMatching(/^sha256:/),
      'containerimage.descriptor': { mediaType: MT.ociIndex, digest: top.digest, size: expect.any(Number) },
      'containerimage.digest': top.digest,
      'image.name': tag,
    });
    expect(iid).toBe(metadata['containerimage.config.digest']);
    const child = await served(registry.host, repository, attestation.digest);
    expect(child.status).toBe(200);
    expect(child.body.layers!.map((l) => l.annotations!['in-toto.io/predicate-type'])).toEqual([
      'https://slsa.dev/provenance/v0.2',
    ]);
  });

  it.each<[string, string[], Record<string, string>]>([
    ['--provenance=false --sbom=false', ['--provenance=false', '--sbom=false'], {}],
    ['--attest type=provenance,disabled=true', ['--attest', 'type=provenance,disabled=true'], {}],
    ['BUILDX_NO_DEFAULT_ATTESTATIONS=1', [], { BUILDX_NO_DEFAULT_ATTESTATIONS: '1' }],
    ['buildx 0.9', [], { BXG_BUILDX_VERSION: '0.9.1' }],
  ])('attestations off (%s): a plain Docker v2 manifest', async (_name, args, env) => {
    const { top, metadata, iid } = await push(args, env);
    expect(top.mediaType).toBe(MT.dockerManifest);
    expect(metadata['containerimage.descriptor'].mediaType).toBe(MT.dockerManifest);
    expect(metadata['containerimage.digest']).toBe(top.digest);
    expect(iid).toBe(top.body.config!.digest);
  });

  it('buildx 0.10 ignores BUILDX_NO_DEFAULT_ATTESTATIONS (it arrived in 0.11)', async () => {
    const { top } = await push([], { BXG_BUILDX_VERSION: '0.10.0', BUILDX_NO_DEFAULT_ATTESTATIONS: '1' });
    expect(top.mediaType).toBe(MT.ociIndex);
  });

  it('--sbom=true adds an SBOM layer to the attestation manifest', async () => {
    const { top, repository } = await push(['--sbom=true']);
    const [attestation] = attestationChildren(top);
    const child = await served(registry.host, repository, attestation.digest);
    expect(child.body.layers!.map((l) => l.annotations!['in-toto.io/predicate-type']).sort()).toEqual([
      'https://slsa.dev/provenance/v0.2',
      'https://spdx.dev/Document',
    ]);
  });

  it('the artifact form carries artifactType and a subject', async () => {
    const { top, repository } = await push([], { BXG_ATTESTATION_FORM: 'artifact' });
    const [attestation] = attestationChildren(top);
    const child = await served(registry.host, repository, attestation.digest);
    expect(child.body).toMatchObject({
      artifactType: MT.attestationArtifact,
      subject: { digest: top.body.manifests![0].digest },
    });
  });

  it('multi-platform with attestations: an OCI index, one attestation per platform', async () => {
    const { top, metadata, iid } = await push(['--platform', 'linux/amd64,linux/arm64']);
    expect(top.mediaType).toBe(MT.ociIndex);
    expect(platformsOf(top)).toEqual(['linux/amd64', 'linux/arm64', 'unknown/unknown', 'unknown/unknown']);
    expect(metadata['containerimage.config.digest']).toBeUndefined();
    expect(iid).toBe(top.digest);
  });

  it('multi-platform without attestations: a Docker manifest list', async () => {
    const { top } = await push([
      '--platform',
      'linux/amd64',
      '--platform',
      'linux/arm64/v8',
      '--provenance=false',
    ]);
    expect(top.mediaType).toBe(MT.dockerList);
    expect(platformsOf(top)).toEqual(['linux/amd64', 'linux/arm64/v8']);
  });

  it('oci-mediatypes=true without attestations: an OCI image manifest', async () => {
    const repository = repo();
    const result = docker([
      'buildx',
      'build',
      '--provenance=false',
      '-o',
      `type=image,name=${registry.host}/${repository}:1,push=true,oci-mediatypes=true`,
      'ctx',
    ]);
    expect(result.code).toBe(0);
    expect((await served(registry.host, repository, '1')).mediaType).toBe(MT.ociManifest);
  });

  it('push-by-digest pushes no tag', async () => {
    const repository = repo();
    const metadataFile = join(work, `meta-${counter}.json`);
    const result = docker([
      'buildx',
      'build',
      '--provenance=false',
      '--metadata-file',
      metadataFile,
      '-o',
      `type=image,name=${registry.host}/${repository},push-by-digest=true,push=true`,
      'ctx',
    ]);
    expect(result.code).toBe(0);
    const digest = JSON.parse(readFileSync(metadataFile, 'utf8'))['containerimage.digest'];
    expect((await served(registry.host, repository, digest)).status).toBe(200);
    expect((await served(registry.host, repository, 'latest')).status).toBe(404);
  });

  it('--load pushes nothing but still writes the metadata; no output keeps the result in the cache', () => {
    const metadataFile = join(work, 'meta-load.json');
    const load = docker([
      'buildx',
      'build',
      '--load',
      '-t',
      `${registry.host}/loaded:1`,
      '--metadata-file',
      metadataFile,
      'ctx',
    ]);
    expect(load.code).toBe(0);
    expect(JSON.parse(readFileSync(metadataFile, 'utf8'))).toMatchObject({
      'containerimage.descriptor': { mediaType: MT.dockerManifest },
      'image.name': `${registry.host}/loaded:1`,
    });
    const cacheOnly = docker(['buildx', 'build', '--metadata-file', metadataFile, 'ctx']);
    expect(cacheOnly.stderr).toContain('WARNING: No output specified with docker-container driver');
    expect(Object.keys(JSON.parse(readFileSync(metadataFile, 'utf8')))).toEqual(['buildx.build.ref']);
  });

  it('buildx 0.13 takes push and load together', async () => {
    const { top } = await push(['--load', '--provenance=false'], { BXG_BUILDX_VERSION: '0.13.1' });
    expect(top.mediaType).toBe(MT.dockerManifest);
  });
});
