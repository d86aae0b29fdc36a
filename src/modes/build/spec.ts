// The two ways a build is asked for: the action's build-push-action inputs, or the CLI's raw buildx arguments.
// Both become one BuildSpec, so the policy, the build and the verification run the same way.
import { InputError } from '../../core/errors';
import { BuildInputs, checkBuildxContext, RunnerEnv, RunnerEvent } from './inputs';
import { parseReference } from '../../core/registry/reference';
import {
  assembleBuildArgv,
  builderSupportsDefaultProvenance,
  checkExporters,
  checkIndexAnnotations,
  defaultProvenance,
  defaultProvenanceCandidate,
  resolveAttestInputs,
  sendsGitAuthToken,
} from './argv';
import { parseGoBool } from '../../core/policy/attestations';
import { NO_DEFAULT_ATTESTATIONS_ENV } from '../../core/policy/policy';
import { readBuildxArgs } from './buildx-args';
import { imageIdFileFor, outputNames, outputPushes, parseOutput, pushesByDigest } from './outputs';
import { BuildSpec } from './run';
import { BUILDX_FEATURES, BuildxVersion, buildxAtLeast } from '../../core/policy/buildx-version';

/**
 * The workflow run's URL, which build-push-action records as the provenance builder-id (attempt 1 and
 * github.com unless the runner says otherwise). Undefined outside a runner.
 */
export function workflowRunUrl(env: RunnerEnv): string | undefined {
  const { GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  if (!repository || !runId) return undefined;
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  return `${server}/${repository}/actions/runs/${runId}/attempts/${env.GITHUB_RUN_ATTEMPT || '1'}`;
}

/** The Git server's host for GIT_AUTH_TOKEN.<host>; github.com unless the runner says otherwise. */
function serverHost(serverUrl: string | undefined): string {
  try {
    return new URL(serverUrl || 'https://github.com').host;
  } catch {
    return 'github.com';
  }
}

export function specFromInputs(
  inputs: BuildInputs,
  buildx: BuildxVersion | undefined,
  env: RunnerEnv,
  event: RunnerEvent = { privateRepository: false },
): BuildSpec {
  checkExporters(inputs, buildx);
  const outputs = inputs.outputs.map(parseOutput);
  const builderId = workflowRunUrl(env);
  const attests = resolveAttestInputs(inputs, builderId);
  const attestationsKnown = buildxAtLeast(buildx, BUILDX_FEATURES.attestations);
  // build-push-action's default provenance, when the policy keeps attestations: only then is the builder's
  // BuildKit version worth a `docker buildx inspect`.
  const mayAddDefaultProvenance =
    attestationsKnown &&
    defaultProvenanceCandidate(inputs, attests, parseGoBool(env[NO_DEFAULT_ATTESTATIONS_ENV] ?? '') === true);
  return {
    platforms: inputs.platforms,
    // buildx before 0.10 never sees the attestation inputs (argv assembly drops them with a warning).
    requests: attestationsKnown ? attests.map((a) => a.request) : [],
    pushes: inputs.push || outputs.some(outputPushes),
    pushByDigest: pushesByDigest(outputs),
    names: [...inputs.tags, ...outputs.flatMap(outputNames)],
    builder: inputs.builder,
    policyName: 'attestation-policy',
    needsBuilder: (plan) => mayAddDefaultProvenance && !plan.strips,
    argv(plan, files, builder) {
      checkIndexAnnotations(inputs.annotations, plan, inputs.platforms, {
        input: 'annotations',
        policy: 'attestation-policy',
      });
      const withDefault =
        mayAddDefaultProvenance && !plan.strips && builder && builderSupportsDefaultProvenance(builder)
          ? [defaultProvenance(event.privateRepository, builderId), ...attests]
          : attests;
      const iidFile = imageIdFileFor(outputs, files.iidFile);
      const secretPaths = inputs.secrets.map((secret, i) => files.writePrivate(`secret-${i}`, secret.value));
      const gitAuthTokenPath = sendsGitAuthToken(inputs)
        ? files.writePrivate('git-auth-token', inputs.githubToken)
        : undefined;
      const gitHost = serverHost(env.GITHUB_SERVER_URL);
      const assembled = assembleBuildArgv(inputs, {
        buildx,
        plan,
        attests: withDefault,
        metadataFile: files.metadataFile,
        iidFile,
        secretPaths,
        gitAuthTokenPath,
        gitHost,
      });
      return { ...assembled, metadataFile: files.metadataFile, iidFile };
    },
  };
}

/**
 * The CLI's build: the user's buildx arguments reach buildx unchanged, after the policy's flags and the
 * metadata and image ID files (unless the user names their own, which buildx would otherwise drop).
 */
export function specFromBuildxArgs(args: string[], env: RunnerEnv): BuildSpec {
  const read = readBuildxArgs(args, env);
  if (read.positionals.length !== 1) {
    throw new InputError(
      'build arguments',
      args.join(' '),
      `Give exactly one build context after -- (found ${read.positionals.length}), e.g. buildx-guard build -- -t reg/app:1 --push .`,
    );
  }
  checkBuildxContext(read.positionals[0], process.cwd());
  // buildx's own "invalid reference format" names neither the flag nor the fix: check the tags first.
  for (const tag of read.flags.get('tag') ?? []) parseReference(tag, '--tag');
  const outputs = (read.flags.get('output') ?? []).map(parseOutput);
  const own = (flag: string) => read.flags.get(flag)?.at(-1);
  return {
    platforms: read.platforms,
    requests: read.requests,
    pushes: read.pushes,
    pushByDigest: pushesByDigest(outputs),
    names: read.names,
    builder: read.builder,
    policyName: '--attestation-policy',
    argv(plan, files) {
      checkIndexAnnotations(read.flags.get('annotation') ?? [], plan, read.platforms, {
        input: '--annotation',
        policy: '--attestation-policy',
      });
      const metadataFile = own('metadata-file') ?? files.metadataFile;
      const iidFile = own('iidfile') ?? imageIdFileFor(outputs, files.iidFile);
      const fileFlags = [
        ...(own('metadata-file') ? [] : ['--metadata-file', metadataFile]),
        ...(own('iidfile') || !iidFile ? [] : ['--iidfile', iidFile]),
      ];
      return {
        argv: ['buildx', 'build', ...plan.flags, ...fileFlags, ...args],
        warnings: [],
        metadataFile,
        iidFile,
      };
    },
  };
}
