import { Finding } from '../../../src/modes/lint/finding';
import { Changes, spanAround, stepSpans } from '../../../src/modes/lint/pr/changes';
import { focusFindings } from '../../../src/modes/lint/pr/focus';

const at = (file: string, line: number, extra: Partial<Finding> = {}): Finding => ({
  file,
  line,
  column: 1,
  rule: 'single-platform-attestations',
  severity: 'error',
  message: `${file}:${line}`,
  ...extra,
});

const changes: Changes = {
  files: new Map<string, Set<number> | 'all'>([
    ['changed.yml', new Set([12])],
    ['binary-or-huge.yml', 'all'],
  ]),
};
/** Steps of ten lines each: 1-10, 11-20, … */
const spanOf = (_file: string, line: number): [number, number] => {
  const from = Math.floor((line - 1) / 10) * 10 + 1;
  return [from, from + 9];
};
const shown = (findings: Finding[]) => findings.map((finding) => `${finding.file}:${finding.line}`);

describe('focusFindings', () => {
  const findings = [
    at('a.yml', 3),
    at('changed.yml', 2),
    at('changed.yml', 11),
    at('binary-or-huge.yml', 40),
  ];

  it('reports every finding, those in changed files first, and fails on all by default', () => {
    const focused = focusFindings(findings, changes, spanOf, { onlyChanged: false, newFindingsOnly: false });
    expect(shown(focused.reported)).toEqual([
      'binary-or-huge.yml:40',
      'changed.yml:2',
      'changed.yml:11',
      'a.yml:3',
    ]);
    expect(focused.failing).toEqual(focused.reported);
  });

  it('only-changed drops the findings of unchanged files', () => {
    const focused = focusFindings(findings, changes, spanOf, { onlyChanged: true, newFindingsOnly: false });
    expect(shown(focused.reported)).toEqual(['binary-or-huge.yml:40', 'changed.yml:2', 'changed.yml:11']);
  });

  it('new-findings-only fails on findings whose step the PR changes (or whose patch is unknown)', () => {
    const focused = focusFindings(findings, changes, spanOf, { onlyChanged: false, newFindingsOnly: true });
    expect(shown(focused.failing)).toEqual(['binary-or-huge.yml:40', 'changed.yml:11']);
    expect(focused.reported).toHaveLength(4);
    expect(focused.isNew(focused.reported[1])).toBe(false); // changed.yml:2, in a step the PR leaves alone
  });

  it('a merge in an unchanged file of an image a changed step pushes: new, and shown on that step with only-changed', () => {
    const merge = at('merge.yml', 5, {
      rule: 'manifest-merge-of-index',
      message: 'merges it',
      related: { file: 'changed.yml', line: 11, column: 9 },
    });
    const all = focusFindings([merge], changes, spanOf, { onlyChanged: false, newFindingsOnly: true });
    expect(shown(all.reported)).toEqual(['merge.yml:5']);
    expect(all.failing).toHaveLength(1);

    const only = focusFindings([merge], changes, spanOf, { onlyChanged: true, newFindingsOnly: true });
    expect(only.reported).toEqual([
      expect.objectContaining({
        file: 'changed.yml',
        line: 11,
        column: 9,
        message: 'merge.yml:5: merges it',
        related: { file: 'merge.yml', line: 5, column: 1 },
      }),
    ]);
    expect(only.failing).toEqual(only.reported);
  });
});

describe('stepSpans', () => {
  const text = [
    'jobs:', //  1
    '  build:', //  2
    '    steps:', //  3
    '      - uses: docker/build-push-action@v6', //  4
    '        with:', //  5
    '          push: true', //  6
    '      - run: |', //  7
    '          docker build .', //  8
    '          docker push x', //  9
    '', // 10
    'runs:', // 11
    '  steps:', // 12
    '    - run: echo', // 13
  ].join('\n');

  it('finds each step of a job and of a composite action, and the step around a line', () => {
    const spans = stepSpans(text);
    expect(spans).toEqual([
      [4, 6],
      [7, 9],
      [13, 13],
    ]);
    expect(spanAround(spans, 4)).toEqual([4, 6]);
    expect(spanAround(spans, 8)).toEqual([7, 9]);
    expect(spanAround(spans, 2)).toEqual([2, 2]);
  });

  it('has no steps in text that does not parse', () => {
    expect(stepSpans('steps: [\n')).toEqual([]);
  });
});
