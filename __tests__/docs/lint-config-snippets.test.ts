// The README's policy file and inline-ignore snippets must mean what the linter reads them to mean.
import { parseLintPolicy } from '../../src/modes/lint/config';
import { applyInlineIgnores, inlineIgnoreProblems } from '../../src/modes/lint/ignores';
import { Finding } from '../../src/modes/lint/finding';
import { fencedBlocks, readRepoFile } from './markdown';

const readmeYaml = fencedBlocks(readRepoFile('README.md')).filter((block) => block.lang === 'yaml');

describe('the policy file in the README', () => {
  const snippet = readmeYaml.find((block) => block.body.startsWith('# .github/buildx-guard.yml\n'));

  it('is accepted by the policy loader, with the settings its comments describe', () => {
    expect(parseLintPolicy(snippet?.body ?? '', 'README.md')).toEqual({
      attestationPolicy: 'auto',
      rules: {
        'attestations-explicitly-enabled': { enabled: false },
        'manifest-merge-of-index': { enabled: true, severity: 'warning' },
        'single-platform-attestations': { enabled: true, severity: 'error' },
      },
      ignorePaths: ['.github/workflows/legacy-*.yml'],
      imageStore: { labels: new Map() },
    });
  });
});

describe('the image-store snippet in the README', () => {
  it("states the self-hosted runners' store", () => {
    const snippet = readmeYaml.find((block) =>
      block.body.startsWith('# .github/buildx-guard.yml: the image store'),
    );
    expect(parseLintPolicy(snippet?.body ?? '', 'README.md').imageStore).toEqual({
      labels: new Map(),
      others: 'containerd',
    });
  });
});

describe('the inline ignore in the README', () => {
  const snippet = readmeYaml.find((block) => block.body.includes('# buildx-guard: ignore['));
  const text = snippet?.body ?? '';

  it('is a well-formed ignore comment', () => {
    expect(snippet).toBeDefined();
    expect(inlineIgnoreProblems(text)).toEqual([]);
  });

  it.each<[string, Finding['rule'], number]>([
    ['drops the finding it names', 'single-platform-attestations', 0],
    ['keeps a finding of another rule', 'attestations-explicitly-enabled', 1],
  ])('%s', (_name, rule, kept) => {
    const finding: Finding = {
      file: '.github/workflows/release.yml',
      line: 1,
      column: 8,
      rule,
      severity: 'error',
      message: 'a single-platform build is pushed with attestations',
    };
    expect(applyInlineIgnores([finding], text)).toHaveLength(kept);
  });
});
