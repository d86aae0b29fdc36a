import fc from 'fast-check';
import { RuleId } from '../../src/modes/lint/finding';
import { applyInlineIgnores, inlineIgnoreProblems } from '../../src/modes/lint/ignores';
import { finding } from '../report/fixtures/rules';

// Line 4 holds the finding in every case below; the text is a workflow with a run: script.
const workflow = (line3: string, line4Comment = '') =>
  ['jobs:', '  build:', line3, `    steps: [{ run: docker buildx build --push . }]${line4Comment}`, ''].join(
    '\n',
  );
const SPA: RuleId = 'single-platform-attestations';

describe('applyInlineIgnores', () => {
  it.each<[string, string, RuleId, boolean]>([
    ['no comment', workflow('    # build it'), SPA, false],
    [
      'a trailing comment on the line',
      workflow('', `  # buildx-guard: ignore[${SPA}] legacy registry`),
      SPA,
      true,
    ],
    [
      'a comment alone on the line above',
      workflow(`    # buildx-guard: ignore[${SPA}] legacy registry`),
      SPA,
      true,
    ],
    ['no reason', workflow(`    # buildx-guard: ignore[${SPA}]`), SPA, true],
    ['no space after the #', workflow(`#buildx-guard:ignore[${SPA}]`), SPA, true],
    [
      'a list of rules',
      workflow(`    # buildx-guard: ignore[manifest-merge-of-index, ${SPA}] both`),
      SPA,
      true,
    ],
    ['another rule only', workflow('    # buildx-guard: ignore[manifest-merge-of-index] x'), SPA, false],
    ['a bare ignore (too broad)', workflow('    # buildx-guard: ignore legacy'), SPA, false],
    ['an empty list', workflow('    # buildx-guard: ignore[] legacy'), SPA, false],
    ['a wildcard', workflow('    # buildx-guard: ignore[*] legacy'), SPA, false],
    ['a trailing comment on the line above', workflow(`    x: 1 # buildx-guard: ignore[${SPA}]`), SPA, false],
    ['a # inside a word is no comment', workflow('', ` a#buildx-guard: ignore[${SPA}]`), SPA, false],
    [
      'the line below does not count',
      workflow('    x: 1').replace(/\n$/, `\n# buildx-guard: ignore[${SPA}]\n`),
      SPA,
      false,
    ],
    ['a similar rule id', workflow('    # buildx-guard: ignore[single-platform-attestation]'), SPA, false],
  ])('%s', (_name, text, rule, ignored) => {
    const findings = [finding({ line: 4, rule })];
    expect(applyInlineIgnores(findings, text)).toEqual(ignored ? [] : findings);
  });

  it('applies each comment to its own line only, and keeps the order of the rest', () => {
    const text = [
      `# buildx-guard: ignore[${SPA}] first`,
      'a',
      'b # buildx-guard: ignore[manifest-merge-of-index]',
      'c',
    ].join('\r\n');
    const findings = [
      finding({ line: 2, rule: SPA }),
      finding({ line: 2, rule: 'manifest-merge-of-index' }),
      finding({ line: 3, rule: 'manifest-merge-of-index' }),
      finding({ line: 4, rule: 'manifest-merge-of-index' }),
    ];
    expect(applyInlineIgnores(findings, text)).toEqual([findings[1], findings[3]]);
  });

  it('only ever drops findings, keeping the others as they were and in order', () => {
    const rules: RuleId[] = [SPA, 'manifest-merge-of-index', 'parse-error'];
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.constantFrom(...rules.map((r) => `# buildx-guard: ignore[${r}]`), 'x: 1'), fc.string()),
          {
            maxLength: 8,
          },
        ),
        fc.array(fc.record({ line: fc.integer({ min: 1, max: 9 }), rule: fc.constantFrom(...rules) }), {
          maxLength: 6,
        }),
        (lines, places) => {
          const findings = places.map((place) => finding(place));
          const kept = applyInlineIgnores(findings, lines.join('\n'));
          expect(kept).toEqual(findings.filter((f) => kept.includes(f)));
        },
      ),
    );
  });
});

describe('inlineIgnoreProblems', () => {
  it.each<[string, string, { line: number; column: number; message: string }[]]>([
    ['a valid comment', `x: 1 # buildx-guard: ignore[${SPA}] ok`, []],
    ['no comment at all', 'x: 1 # just a comment', []],
    [
      'a bare ignore',
      'x: 1\n  # buildx-guard: ignore because',
      [
        {
          line: 2,
          column: 3,
          message:
            'An ignore comment must name the rules it ignores: # buildx-guard: ignore[single-platform-attestations] reason.',
        },
      ],
    ],
    [
      'an empty list',
      '# buildx-guard: ignore[ ]',
      [
        {
          line: 1,
          column: 1,
          message:
            'An ignore comment must name the rules it ignores: # buildx-guard: ignore[single-platform-attestations] reason.',
        },
      ],
    ],
    [
      'an unknown rule id beside a known one',
      `run: x # buildx-guard: ignore[${SPA}, manifest-merge]`,
      [
        {
          line: 1,
          column: 8,
          message:
            'Unknown rule id "manifest-merge" in an ignore comment. The rule ids are single-platform-attestations, ' +
            'manifest-merge-of-index, attestations-explicitly-enabled, parse-error.',
        },
      ],
    ],
    [
      'a misspelt rule id',
      '# buildx-guard: ignore[parse-eror]',
      [
        {
          line: 1,
          column: 1,
          message:
            'Unknown rule id "parse-eror" in an ignore comment. Did you mean "parse-error"? The rule ids are ' +
            'single-platform-attestations, manifest-merge-of-index, attestations-explicitly-enabled, parse-error.',
        },
      ],
    ],
    [
      'another verb',
      '# buildx-guard: disable[parse-error]',
      [
        {
          line: 1,
          column: 1,
          message:
            'Unknown buildx-guard comment "disable": use # buildx-guard: ignore[single-platform-attestations] reason.',
        },
      ],
    ],
  ])('%s', (_name, text, expected) => {
    expect(inlineIgnoreProblems(text)).toEqual(expected);
  });
});
