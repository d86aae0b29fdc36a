import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits, fixFiles } from '../../src/modes/lint/fix';

describe('applyEdits', () => {
  it.each([
    ['abc', [{ offset: 1, insert: 'X' }], 'aXbc'],
    [
      'abc',
      [
        { offset: 0, insert: 'X' },
        { offset: 3, insert: 'Y' },
      ],
      'XabcY',
    ],
    [
      'abc',
      [
        { offset: 3, insert: 'Y' },
        { offset: 1, insert: 'X' },
      ],
      'aXbcY',
    ],
    [
      'abc',
      [
        { offset: 1, insert: 'X' },
        { offset: 1, insert: 'X' },
      ],
      'aXbc',
    ],
    ['abc', [], 'abc'],
  ])('%s with %j', (text, edits, result) => {
    expect(applyEdits(text, edits)).toBe(result);
  });
});

describe('fixFiles', () => {
  it('edits each file in place and keeps a byte order mark', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fix-'));
    const plain = join(dir, 'a.yml');
    const withBom = join(dir, 'b.yml');
    writeFileSync(plain, 'run: docker build --push .\n');
    writeFileSync(withBom, '\uFEFFrun: docker build --push .\n');
    const edit = { offset: 'run: docker build'.length, insert: ' --provenance=false' };
    expect(
      fixFiles(
        new Map([
          [plain, [edit]],
          [withBom, [edit]],
        ]),
        dir,
      ),
    ).toBe(2);
    expect(readFileSync(plain, 'utf8')).toBe('run: docker build --provenance=false --push .\n');
    expect(readFileSync(withBom, 'utf8')).toBe('\uFEFFrun: docker build --provenance=false --push .\n');
  });
});
