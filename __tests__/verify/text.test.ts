import { MediaType } from '../../src/core/registry/mediatype';
import { formatImageReport, verifySummaryMarkdown } from '../../src/core/verification/text';
import { fixFor } from '../../src/core/verification/fixes';
import { ImageReport, Problem, ProblemCode } from '../../src/core/verification/report';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const TOP = `sha256:${'0'.repeat(64)}`;

const failing: ImageReport = {
  ref: 'reg.io/app:v1',
  digest: TOP,
  mediaType: MediaType.OciIndex,
  ok: false,
  children: [
    { digest: A, mediaType: MediaType.OciManifest, platform: 'linux/amd64', kind: 'image', present: true },
    {
      digest: B,
      mediaType: MediaType.OciManifest,
      platform: 'unknown/unknown',
      kind: 'attestation',
      present: false,
    },
  ],
  problems: [
    { code: 'attestation-child', message: `Child ${B} is an attestation.`, digest: B },
    { code: 'missing-child', message: `Child ${B} is missing.`, digest: B },
  ],
};
const passing: ImageReport = {
  ref: 'reg.io/app:v2',
  digest: A,
  mediaType: MediaType.DockerManifest,
  ok: true,
  children: [],
  problems: [],
};

describe('formatImageReport', () => {
  it('prints the verdict, the tree, the problems and the one fix', () => {
    expect(formatImageReport(failing)).toBe(
      [
        'FAIL reg.io/app:v1',
        `  ${MediaType.OciIndex} (OCI image index) ${TOP}`,
        `  ├─ linux/amd64      image       ${A}  present`,
        `  └─ unknown/unknown  attestation ${B}  MISSING`,
        `  attestation-child: Child ${B} is an attestation.`,
        `  missing-child: Child ${B} is missing.`,
        `  fix: ${fixFor([{ code: 'missing-child', message: '' }])}`,
        '',
      ].join('\n'),
    );
  });

  it('prints a pass on two lines', () => {
    expect(formatImageReport(passing)).toBe(
      `OK   reg.io/app:v2\n  ${MediaType.DockerManifest} (Docker image manifest) ${A}\n`,
    );
  });

  it('prints a reference that is not there', () => {
    const notFound: ImageReport = {
      ...passing,
      digest: '',
      mediaType: '',
      ok: false,
      problems: [{ code: 'not-found', message: 'reg.io/app:v2 does not exist.' }],
    };
    expect(formatImageReport(notFound)).toBe(
      `FAIL reg.io/app:v2\n  not-found: reg.io/app:v2 does not exist.\n  fix: ${fixFor(notFound.problems)}\n`,
    );
  });

  it('colours only when asked', () => {
    expect(formatImageReport(failing, { color: true })).toContain('\x1b[31mFAIL\x1b[0m reg.io/app:v1');
    expect(formatImageReport(passing, { color: true })).toContain('\x1b[32mOK  \x1b[0m reg.io/app:v2');
    expect(formatImageReport(failing)).not.toContain('\x1b[');
  });
});

describe('fixFor', () => {
  const problems = (...codes: ProblemCode[]): Problem[] => codes.map((code) => ({ code, message: '' }));
  it.each<[ProblemCode[], string]>([
    [['attestation-child', 'not-found'], 'Check the registry, repository and tag'],
    [['attestation-child', 'digest-mismatch'], 'serves other bytes than the digest names'],
    [['attestation-child', 'missing-child'], 'The index is dangling'],
    [['unexpected-index', 'attestation-child'], '--provenance=false --sbom=false'],
    [['attestation-child'], 'Build without attestations'],
    [['unexpected-manifest', 'platform-mismatch'], 'Build every platform in one build'],
    [['platform-mismatch', 'media-type-family'], 'Build for exactly the expected platforms'],
    [['media-type-family'], 'oci-mediatypes=false'],
    [['unsupported-media-type', 'unexpected-index'], 'current clients cannot pull schema1'],
    [['missing-blob'], 'A config or layer blob is gone'],
  ])('%j -> %s', (codes, fix) => expect(fixFor(problems(...codes))).toContain(fix));

  it('has no fix when nothing is wrong', () => expect(fixFor([])).toBeUndefined());
});

describe('verifySummaryMarkdown', () => {
  it('has a row per image, the problems and the fix', () => {
    expect(verifySummaryMarkdown({ images: [failing, passing] })).toBe(
      [
        '### buildx-guard verify',
        '',
        '| Image | Type | Children | Verdict |',
        '| --- | --- | --- | --- |',
        '| reg.io/app:v1 | OCI image index | linux/amd64 image, unknown/unknown attestation (missing) | FAIL (2 problems) |',
        '| reg.io/app:v2 | Docker image manifest | - | OK |',
        '',
        `- \`reg.io/app:v1\` **attestation-child**: Child ${B} is an attestation.`,
        `- \`reg.io/app:v1\` **missing-child**: Child ${B} is missing.`,
        '',
        `**Fix:** ${fixFor(failing.problems)}`,
        '',
      ].join('\n'),
    );
  });

  it('is a table alone when everything passes', () => {
    expect(verifySummaryMarkdown({ images: [passing] })).toBe(
      '### buildx-guard verify\n\n| Image | Type | Children | Verdict |\n| --- | --- | --- | --- |\n| reg.io/app:v2 | Docker image manifest | - | OK |\n',
    );
  });
});
