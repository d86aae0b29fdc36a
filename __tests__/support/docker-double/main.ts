// A `docker` test double that stands in for buildx (never for the registry): `docker buildx version`,
// `docker buildx inspect [--builder NAME]` and `docker buildx build`, pushing real images to a real registry.
// Knobs: BXG_BUILDX_VERSION (default 0.19.3), BXG_BUILDER_PLATFORMS, BXG_BUILD_FAIL=message,
// BXG_ATTESTATION_FORM=artifact, BXG_DOCKER_LOG=path (one JSON line per invocation).
import { buildxBuild, BuildxError, DoubleIO } from './build';
import { builderPlatforms, buildxVersion } from './buildx';
import { FlagError, parseFlags } from './flags';
import { recordInvocation } from './invocations';

const COMMIT = '48d6a3927f1dc07bb6c6a0f08b8ac2c2d9e3d0b8';

function inspect(args: string[], io: DoubleIO): number {
  const { values } = parseFlags(args, [
    { name: 'builder', kind: 'string' },
    { name: 'bootstrap', kind: 'bool' },
  ]);
  const name = values.get('builder')?.at(-1) || io.env.BUILDX_BUILDER || 'builder';
  const platforms = builderPlatforms(io.env);
  io.stdout(
    [
      `Name:          ${name}`,
      'Driver:        docker-container',
      'Last Activity: 2025-01-01 00:00:00 +0000 UTC',
      '',
      'Nodes:',
      `Name:                  ${name}0`,
      'Endpoint:              unix:///var/run/docker.sock',
      'Status:                running',
      'BuildKit daemon flags: --allow-insecure-entitlement=network.host',
      'BuildKit version:      v0.18.2',
      `Platforms:             ${platforms.join(', ')}`,
      'Labels:',
      ' org.mobyproject.buildkit.worker.executor:         oci',
      ' org.mobyproject.buildkit.worker.snapshotter:      overlayfs',
      '',
    ].join('\n'),
  );
  return 0;
}

async function buildx(args: string[], io: DoubleIO): Promise<number> {
  const [command, ...rest] = args;
  const version = buildxVersion(io.env);
  switch (command) {
    case 'version':
      io.stdout(`github.com/docker/buildx v${version} ${COMMIT.slice(0, 7)}\n`);
      return 0;
    case 'inspect':
      return inspect(rest, io);
    case 'build':
    case 'b':
      return buildxBuild(rest, io);
    default:
      io.stderr(`ERROR: unknown command "${command ?? ''}" for "docker buildx"\n`);
      return 1;
  }
}

async function main(argv: string[]): Promise<number> {
  const io: DoubleIO = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  };
  recordInvocation(argv, process.env);
  if (argv[0] !== 'buildx') {
    io.stderr(
      `docker: '${argv[0] ?? ''}' is not a docker command (this is the buildx test double).\nSee 'docker --help'\n`,
    );
    return 1;
  }
  try {
    return await buildx(argv.slice(1), io);
  } catch (error) {
    if (error instanceof FlagError) {
      io.stderr(`${error.message}\nSee 'docker buildx ${argv[1]} --help'.\n`);
      return 125;
    }
    if (error instanceof BuildxError) {
      io.stderr(`ERROR: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
