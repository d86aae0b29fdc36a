// Build mode's sequence, shared by the action and the CLI: buildx version, policy, build, metadata, verify.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckError } from '../../core/errors';
import { GuardOptions } from './inputs';
import { AttestationRequest } from '../../core/policy/attestations';
import { expectationAfterPush } from '../../core/policy/expectation';
import { planPolicy, PolicyPlan } from '../../core/policy/policy';
import { Log } from '../../core/output/log';
import type { verifyImages } from '../../core/verification';
import { Expectation, VerifyReport } from '../../core/verification/report';
import { buildxError, Docker, parseBuilderFacts } from './docker';
import { BuilderFacts } from './argv';
import { BuildResult, readBuildResult, refsToVerify } from './metadata';
import { firstLookWarning, tagsServePush } from './verdict';
import { BuildxVersion, describeBuildxVersion, parseBuildxVersion } from '../../core/policy/buildx-version';

/** What a build asks for, read from the action's inputs or the CLI's buildx arguments. */
export interface BuildSpec {
  /** Platform lists as given; empty means the builder's default. */
  platforms: string[];
  requests: AttestationRequest[];
  pushes: boolean;
  pushByDigest: boolean;
  /** Names the image is exported to, used when buildx's metadata has none. */
  names: string[];
  builder: string;
  /** How errors name the policy setting. */
  policyName: string;
  /**
   * True when the argv depends on the builder's driver and BuildKit version under this plan: only then does
   * the build spend a `docker buildx inspect`.
   */
  needsBuilder?(plan: PolicyPlan): boolean;
  /** The docker argv, once the policy, the files (and the builder, when needed) are known. */
  argv(plan: PolicyPlan, files: BuildFiles, builder?: BuilderFacts): AssembledBuild;
}

export interface AssembledBuild {
  argv: string[];
  warnings: string[];
  metadataFile: string;
  /** Absent when buildx cannot write one (local and tar exports). */
  iidFile?: string;
}

/** Files in a private directory of this build's own, removed afterwards. */
export interface BuildFiles {
  metadataFile: string;
  iidFile: string;
  /** Writes a private file (a secret's value) and returns its path. */
  writePrivate(name: string, content: string): string;
}

export type VerifyImages = typeof verifyImages;

export interface BuildDeps {
  docker: Docker;
  log: Log;
  verifyImages: VerifyImages;
}

export type Verification = 'passed' | 'failed' | 'skipped' | 'nothing pushed';

export interface GuardedBuild {
  buildx: BuildxVersion | undefined;
  plan: PolicyPlan;
  expectation: Expectation;
  result: BuildResult;
  /** The platform buildx built when none was requested (from its metadata file). */
  defaultPlatform?: string;
  refs: string[];
  verification: Verification;
  report?: VerifyReport;
}

/** Retries for a tag the registry does not show yet right after the push (seen on ECR). */
const NOT_FOUND_RETRIES = 3;

/**
 * Runs one guarded build. `makeSpec` reads the request once the buildx version is known (inputs that this
 * buildx lacks are dropped with a warning). Throws InputError for a conflict before building, CheckError
 * when buildx fails or the push cannot be checked.
 */
export async function runGuardedBuild(
  makeSpec: (buildx: BuildxVersion | undefined) => BuildSpec,
  guard: GuardOptions,
  deps: BuildDeps,
): Promise<GuardedBuild> {
  const { docker, log } = deps;
  const versionOutput = await docker.buildxVersion();
  const buildx = parseBuildxVersion(versionOutput);
  if (!buildx)
    log.warning(`Cannot read the buildx version from "${versionOutput.trim()}"; assuming a current buildx.`);
  log.info(`Using ${describeBuildxVersion(buildx)}`);

  return withBuildFiles(async (files) => {
    const spec = makeSpec(buildx);
    const plan = planPolicy({
      policy: guard.attestationPolicy,
      platforms: spec.platforms,
      buildx,
      requests: spec.requests,
      policyName: spec.policyName,
    });
    const expectation = expectationAfterPush({
      plan,
      platforms: spec.platforms,
      buildx,
      requests: spec.requests,
      expect: guard.expect,
      mediaTypes: guard.mediaTypes,
      verifyBlobs: guard.verifyBlobs,
      attestations: guard.attestations,
    });
    const builder = spec.needsBuilder?.(plan) ? await inspectBuilder(docker, spec.builder, log) : undefined;
    const { argv, warnings, metadataFile, iidFile } = spec.argv(plan, files, builder);
    warnings.forEach((warning) => log.warning(warning));
    log.info(`Attestation policy ${plan.description}.`);

    const run = await log.group('docker buildx build', () => docker.build(argv, plan.env));
    if (run.exitCode !== 0) {
      throw new CheckError(
        `docker buildx build failed (exit code ${run.exitCode}):\n${buildxError(run.stderr)}`,
      );
    }
    const result = readBuildResult(readOptional(metadataFile), iidFile && readOptional(iidFile));
    const defaultPlatform = spec.platforms.length === 0 ? result.platform || undefined : undefined;
    if (defaultPlatform) log.info(`No platforms requested: buildx built ${defaultPlatform}.`);
    const names = result.names.length > 0 ? result.names : spec.names;
    const refs = spec.pushes ? refsToVerify(names, result.digest, spec.pushByDigest) : [];
    const done = { buildx, plan, expectation, result, defaultPlatform, refs };

    if (!spec.pushes) {
      log.info(
        'Nothing pushed, nothing to verify (the build neither pushes nor has an output with push=true or type=registry).',
      );
      return { ...done, verification: 'nothing pushed' };
    }
    if (!guard.verify) {
      log.info('Verification skipped (verify: false).');
      return { ...done, verification: 'skipped' };
    }
    if (refs.length === 0)
      throw new CheckError('buildx pushed, but reported neither an image name nor a digest to verify.');
    const firstLook = firstLookWarning(result.mediaType, expectation);
    if (firstLook) log.warning(firstLook);
    log.info(`Verifying what the registry serves: ${refs.join(', ')}`);
    const report = await deps.verifyImages(refs, expectation, {
      insecureRegistries: guard.insecureRegistries,
      log,
      notFoundRetries: NOT_FOUND_RETRIES,
    });
    const checked = tagsServePush(report, result.digest);
    return {
      ...done,
      report: checked,
      verification: checked.images.every((image) => image.ok) ? 'passed' : 'failed',
    };
  });
}

/** The builder's driver and BuildKit versions. Optional: a failure only costs build-push-action's default provenance. */
async function inspectBuilder(docker: Docker, builder: string, log: Log): Promise<BuilderFacts | undefined> {
  try {
    return parseBuilderFacts(await docker.inspectBuilder(builder));
  } catch (error) {
    log.debug(`docker buildx inspect: ${(error as Error).message}`);
    return undefined;
  }
}

async function withBuildFiles<T>(fn: (files: BuildFiles) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'buildx-guard-'));
  const files: BuildFiles = {
    metadataFile: join(dir, 'metadata.json'),
    iidFile: join(dir, 'iid.txt'),
    writePrivate(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content, { mode: 0o600 });
      return path;
    },
  };
  try {
    return await fn(files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
