// mode: verify as a runner runs it: node dist/index.js with INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
import { startRegistry, TestRegistry } from '../support/registry';
import { imageManifest, MT, PushClient } from '../support/oci';
import { buildxIndex } from '../registry/helpers/images';
import { cleanEnv, runNode } from '../registry/helpers/cli';
import { runnerFiles } from '../registry/helpers/runner-files';

let registry: TestRegistry;
let plain: string;
let buildx: string;
beforeAll(async () => {
  registry = await startRegistry();
  const push = new PushClient(registry.url);
  await push.push('action/plain', ['v1'], imageManifest('linux/amd64', 'oci'));
  await push.push('action/buildx', ['v1'], buildxIndex(['linux/amd64'], 'artifact'));
  plain = `${registry.host}/action/plain:v1`;
  buildx = `${registry.host}/action/buildx:v1`;
});
afterAll(() => registry.stop());

function runAction(inputs: Record<string, string>) {
  const files = runnerFiles();
  const env = cleanEnv({ ...files.env, INPUT_MODE: 'verify' });
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  return runNode('dist/index.js', [], env).then((run) => ({ ...run, files }));
}

describe('mode: verify', () => {
  it('passes, sets report and media-type, and writes the summary', async () => {
    const run = await runAction({ images: `${plain}\n`, expect: 'manifest', 'media-types': 'oci' });
    expect(run.status).toBe(0);
    const outputs = run.files.outputs();
    expect(outputs['media-type']).toBe(MT.ociManifest);
    expect(JSON.parse(outputs.report)).toEqual({
      images: [
        {
          ref: plain,
          digest: expect.stringMatching(/^sha256:/),
          mediaType: MT.ociManifest,
          ok: true,
          children: [],
          problems: [],
        },
      ],
    });
    expect(run.files.summary()).toContain(`| ${plain} | OCI image manifest | - | OK |`);
    expect(run.stdout).toContain(`OK   ${plain}`);
    expect(run.stdout).not.toContain('::error');
  });

  it('fails the step on a violation, with an annotation per problem, and still sets the outputs', async () => {
    const run = await runAction({ images: `${buildx}, ${plain}` });
    expect(run.status).toBe(1);
    const outputs = run.files.outputs();
    expect(outputs['media-type']).toBe(MT.ociIndex);
    expect(JSON.parse(outputs.report).images.map((image: { ok: boolean }) => image.ok)).toEqual([
      false,
      true,
    ]);
    expect(run.stdout).toMatch(
      new RegExp(
        `::error title=buildx-guard%3A attestation-child::${buildx.replace(/\./g, '\\.')}: Child sha256:[a-f0-9]{64} \\(unknown/unknown, attestation\\) is an attestation manifest`,
      ),
    );
    expect(run.stdout).toContain(`::error::1 of 2 image(s) do not meet the expectation: ${buildx}.`);
    expect(run.files.summary()).toContain(
      `| ${buildx} | OCI image index | linux/amd64 image, unknown/unknown attestation | FAIL (1 problem) |`,
    );
    expect(run.files.summary()).toContain('**Fix:** Build without attestations');
  });

  it('fails the step with the reason when it cannot check', async () => {
    const broken = await runAction({ images: 'reg.invalid/app:v1' });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(
      /::error::GET https:\/\/reg\.invalid\/v2\/app\/manifests\/v1: getaddrinfo (ENOTFOUND|EAI_AGAIN) reg\.invalid/,
    );
    expect(broken.files.outputs()).toEqual({});
  });

  it('fails the step on a bad input, naming it', async () => {
    const run = await runAction({ images: plain, expect: 'sometimes' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::Invalid expect: "sometimes". Use one of: auto, manifest, index.');
  });
});
