import { parseError } from './parse-error';
import { LintedFile } from './rule';

describe('parse-error', () => {
  it.each<[string, LintedFile, number]>([
    ['a file that parsed', { path: 'a.yml', steps: [] }, 0],
    [
      'a file that did not',
      {
        path: 'a.yml',
        steps: [],
        parseError: { at: { line: 3, column: 7 }, message: 'Missing closing "quote' },
      },
      1,
    ],
  ])('%s', (_name, file, count) => {
    expect(parseError.checkFile?.(file, { attestationPolicy: 'auto' })).toHaveLength(count);
  });

  it('reports where the parser stopped and why', () => {
    const [finding] =
      parseError.checkFile?.(
        {
          path: '.github/workflows/a.yml',
          steps: [],
          parseError: { at: { line: 3, column: 7 }, message: 'Missing closing "quote' },
        },
        { attestationPolicy: 'auto' },
      ) ?? [];
    expect(finding).toMatchObject({
      file: '.github/workflows/a.yml',
      line: 3,
      column: 7,
      rule: 'parse-error',
      severity: 'error',
    });
    expect(finding.message).toBe(
      'Our YAML 1.2 parser rejected this file at line 3, column 7: Missing closing "quote. Its builds were not checked.',
    );
    expect(finding.message).not.toContain('runner');
  });

  it('says a file that was not even parsed was not parsed', () => {
    const [finding] =
      parseError.checkFile?.(
        {
          path: 'a.yml',
          steps: [],
          parseError: { at: { line: 1, column: 1 }, message: 'it is a binary file, not YAML', unread: true },
        },
        { attestationPolicy: 'auto' },
      ) ?? [];
    expect(finding.message).toBe(
      'This file was not parsed: it is a binary file, not YAML. Its builds were not checked.',
    );
  });
});
