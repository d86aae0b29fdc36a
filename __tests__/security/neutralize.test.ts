// The one neutralising mechanism (src/core/output/neutralize.ts) and the Log and printers that use it.
import fc from 'fast-check';
import {
  escapeControls,
  inline,
  markdownCode,
  markdownText,
  safeJson,
  safeLogText,
} from '../../src/core/output/neutralize';
import { cliLog } from '../../src/core/output/log';
import { markdownTable } from '../../src/core/output/summary';
import { workflowCommand } from '../../src/core/output/workflow-command';

// eslint-disable-next-line no-control-regex
const DANGEROUS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** A line GitHub's runner or act would read as a workflow command. */
const isCommandLine = (line: string) => /^\s*::/.test(line) || line.includes('##[');

const hostile = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc
    .array(
      fc.constantFrom('::', '##[', '\n', '\r', '\x1b[2J', '\u009b', 'set-env name=NODE_OPTIONS::', ' ', 'x'),
    )
    .map((parts) => parts.join('')),
);

describe('safeLogText', () => {
  it.each([
    ['::set-env name=NODE_OPTIONS::--require=/tmp/x', '\\x3a:set-env name=NODE_OPTIONS::--require=/tmp/x'],
    ['ok\n  ::add-mask::secret', 'ok\n  \\x3a:add-mask::secret'],
    ['ok\r::stop-commands::t', 'ok\\r::stop-commands::t'],
    ['x ##[set-env name=A]b', 'x ##\\x5bset-env name=A]b'],
    ['\x1b]0;title\x07\x1b[2J', '\\x1b]0;title\\x07\\x1b[2J'],
    ['\u009b31m \u202eevil', '\\x9b31m \\u{202e}evil'],
    ['a: b :: c', 'a: b :: c'],
    ['tab\tand\nnewline', 'tab\tand\nnewline'],
  ])('%j -> %j', (input, expected) => expect(safeLogText(input)).toBe(expected));

  it('never leaves a line that starts a workflow command, nor a control character', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const safe = safeLogText(text);
        expect(safe.split('\n').filter(isCommandLine)).toEqual([]);
        expect(safe).not.toMatch(DANGEROUS);
      }),
    );
  });
});

describe('inline and escapeControls', () => {
  it('inline keeps a value on one line', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(inline(text)).not.toMatch(/[\n\r]/);
        expect(inline(text)).not.toMatch(DANGEROUS);
      }),
    );
  });
  it('leaves ordinary text alone', () => {
    expect(inline('linux/arm64/v8 sha256:ab')).toBe('linux/arm64/v8 sha256:ab');
    expect(escapeControls('a\nb')).toBe('a\nb');
  });
});

describe('safeJson', () => {
  it('parses back to the same value and holds no raw C1, DEL or separator', () => {
    fc.assert(
      fc.property(fc.jsonValue(), hostile, (value, text) => {
        const data = { value, text };
        const json = safeJson(data, 2);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(data)));
        expect(json).not.toMatch(DANGEROUS);
      }),
    );
  });
});

describe('markdownText', () => {
  it.each([
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['[click](https://evil.example)', '\\[click\\](https\\://evil.example)'],
    ['a|b\n| forged | row |', 'a\\|b\\\\n\\| forged \\| row \\|'],
    ['![x](http://t/p.png)', '!\\[x\\](http\\://t/p.png)'],
    ['sha256:ab 127.0.0.1:5000/a:v1', 'sha256:ab 127.0.0.1:5000/a:v1'],
    ['visit www.evil.example', 'visit www\\.evil.example'],
    ['**bold** `code` ~~s~~ _i_', '\\*\\*bold\\*\\* \\`code\\` \\~\\~s\\~\\~ \\_i\\_'],
  ])('%j -> %j', (input, expected) => expect(markdownText(input)).toBe(expected));

  it('keeps every table cell one cell and one row', () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        const table = markdownTable(['x', 'y'], [[a, b]]);
        const rows = table.trimEnd().split('\n');
        expect(rows).toHaveLength(3);
        expect(rows[2].replace(/\\\\/g, '').replace(/\\\|/g, '').split('|')).toHaveLength(4);
        expect(table).not.toMatch(/<(?!br>)/);
      }),
    );
  });
});

describe('markdownCode', () => {
  it.each([
    ['plain', '`plain`'],
    ['a`b', '``a`b``'],
    ['``x', '``` ``x ```'],
    ['x\n<b>', '`x\\n<b>`'],
  ])('%j -> %j', (input, expected) => expect(markdownCode(input)).toBe(expected));
});

describe('workflowCommand', () => {
  it('escapes control characters in the message and the properties', () => {
    const command = workflowCommand('error', { file: 'a\x1b[2J.yml' }, 'm\x1b]0;t\x07\n::add-mask::x');
    expect(command).toBe('::error file=a\\x1b[2J.yml::m\\x1b]0;t\\x07%0A::add-mask::x');
  });
});

describe('cliLog', () => {
  it('escapes what it prints, and still masks a secret that holds a control character', () => {
    let out = '';
    const log = cliLog({ write: (text) => (out += text) });
    log.secret('pa\x1bss');
    log.error('registry said \x1b[2Jpa\x1bss\n::add-mask::x');
    expect(out).toBe('error: registry said \\x1b[2J***\n\\x3a:add-mask::x\n');
  });
});
