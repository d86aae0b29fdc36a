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
    expect(finding.message).toContain('Missing closing "quote');
    expect(finding.message).toContain('its builds were not checked');
  });
});
