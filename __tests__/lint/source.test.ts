import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { MAX_SOURCE_BYTES, readSource, readStream } from '../../src/modes/lint/source';

describe('readSource', () => {
  const dir = mkdtempSync(join(tmpdir(), 'source-'));
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it.each([
    ['text', file('a.yml', 'on: push\n'), { text: 'on: push\n', bom: false }],
    ['a byte order mark', file('b.yml', '\uFEFFon: push\n'), { text: 'on: push\n', bom: true }],
    [
      'a binary file',
      file('c.yml', Buffer.from([0x6f, 0x6e, 0x00, 0x01])),
      { problem: 'it is a binary file, not YAML' },
    ],
    ['a missing file', join(dir, 'missing.yml'), { problem: 'it cannot be read (ENOENT)' }],
    ['a directory', dir, { problem: 'it cannot be read (EISDIR)' }],
  ])('reads %s without throwing', (_name, path, source) => {
    expect(readSource(path)).toEqual(source);
  });

  it('refuses a file over the limit without reading it', () => {
    const path = file('huge.yml', '');
    truncateSync(path, MAX_SOURCE_BYTES + 1);
    expect(readSource(path)).toEqual({
      problem: 'it is larger than the 4 MiB a workflow file can sensibly be',
    });
  });
});

describe('readStream (`lint -`)', () => {
  it.each([
    ['text in chunks', ['on: ', 'push\n'], { text: 'on: push\n', bom: false }],
    ['a byte order mark', ['\uFEFFon: push\n'], { text: 'on: push\n', bom: true }],
    ['binary input', [Buffer.from([0x6f, 0x00])], { problem: 'it is a binary file, not YAML' }],
    ['nothing', [], { text: '', bom: false }],
  ])('reads %s like a file', async (_name, chunks, source) => {
    const stream = Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
    expect(await readStream(stream)).toEqual(source);
  });

  it('stops reading at the limit', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1024 * 1024;
        this.push(Buffer.alloc(1024 * 1024, 'a'));
      },
    });
    expect(await readStream(endless)).toEqual({
      problem: 'it is larger than the 4 MiB a workflow file can sensibly be',
    });
    // The stream is endless: reading it stopped a few chunks past the limit.
    expect(produced).toBeLessThan(MAX_SOURCE_BYTES + 4 * 1024 * 1024);
  });
});
