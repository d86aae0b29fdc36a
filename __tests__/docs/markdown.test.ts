import { fencedBlocks, headingAnchors, linkTargets } from './markdown';

describe('fencedBlocks', () => {
  it.each([
    ['one yaml block', 'text\n```yaml\na: 1\n```\n', [{ lang: 'yaml', body: 'a: 1\n', line: 2 }]],
    ['no language', '```\nx\n```\n', [{ lang: '', body: 'x\n', line: 1 }]],
    ['tilde fence', '~~~YML\nb: 2\n~~~\n', [{ lang: 'yml', body: 'b: 2\n', line: 1 }]],
    ['empty block', '```sh\n```\n', [{ lang: 'sh', body: '', line: 1 }]],
    [
      'a shorter fence inside a longer one is content',
      '````md\n```yaml\nc: 3\n```\n````\n',
      [{ lang: 'md', body: '```yaml\nc: 3\n```\n', line: 1 }],
    ],
    [
      'two blocks',
      '```yaml\na: 1\n```\nprose\n```groovy\npipeline {}\n```\n',
      [
        { lang: 'yaml', body: 'a: 1\n', line: 1 },
        { lang: 'groovy', body: 'pipeline {}\n', line: 5 },
      ],
    ],
    ['an unclosed fence is not a block', '```yaml\na: 1\n', []],
  ])('%s', (_name, markdown, expected) => {
    expect(fencedBlocks(markdown)).toEqual(expected);
  });
});

describe('headingAnchors', () => {
  it.each([
    ['## `no such manifest`', 'no-such-manifest'],
    [
      '## `OCI index found, but accept header does not support OCI indexes`',
      'oci-index-found-but-accept-header-does-not-support-oci-indexes',
    ],
    ['## `unknown/unknown` in the platform list', 'unknownunknown-in-the-platform-list'],
    ['### Runner rejects `node24`', 'runner-rejects-node24'],
    ['# Enforcing the policy across an organisation', 'enforcing-the-policy-across-an-organisation'],
  ])('%s -> #%s', (heading, anchor) => {
    expect(headingAnchors(`${heading}\n`)).toEqual(new Set([anchor]));
  });

  it('numbers duplicates and ignores comment lines inside code blocks', () => {
    const markdown = '## Fix\n\n```sh\n# not a heading\n```\n\n## Fix\n';
    expect(headingAnchors(markdown)).toEqual(new Set(['fix', 'fix-1']));
  });
});

describe('linkTargets', () => {
  it('finds inline links in prose, not in code', () => {
    const markdown = 'See [a](A.md#x) and [b](https://e.org).\n\n```md\n[c](C.md)\n```\n\n`[d](D.md)`\n';
    expect(linkTargets(markdown)).toEqual(['A.md#x', 'https://e.org']);
  });
});
