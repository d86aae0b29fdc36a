import fc from 'fast-check';
import { escapeData, escapeProperty, workflowCommand } from '../../src/core/output/workflow-command';

// What the runner does with a command line (actions/runner ActionCommand.Unescape).
const unescapeData = (value: string) =>
  value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (value: string) => unescapeData(value.replace(/%3A/g, ':').replace(/%2C/g, ','));

describe('escapeData and escapeProperty', () => {
  it.each([
    ['plain', 'plain', 'plain'],
    ['100%', '100%25', '100%25'],
    ['a\nb\r\nc', 'a%0Ab%0D%0Ac', 'a%0Ab%0D%0Ac'],
    ['file:line,col', 'file:line,col', 'file%3Aline%2Ccol'],
    ['%0A is literal', '%250A is literal', '%250A is literal'],
  ])('%j -> data %j, property %j', (raw, data, property) => {
    expect(escapeData(raw)).toBe(data);
    expect(escapeProperty(raw)).toBe(property);
  });

  it('round-trips any text through the runner', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(unescapeData(escapeData(text))).toBe(text);
        expect(unescapeProperty(escapeProperty(text))).toBe(text);
        expect(escapeProperty(text)).not.toMatch(/[:,\r\n]/);
        expect(escapeData(text)).not.toMatch(/[\r\n]/);
      }),
    );
  });
});

describe('workflowCommand', () => {
  it('writes the properties in order, escaped, and the message escaped', () => {
    expect(
      workflowCommand('error', { file: 'a,b.yml', line: 3, col: 7, title: 'rule:x' }, 'two\nlines 100%'),
    ).toBe('::error file=a%2Cb.yml,line=3,col=7,title=rule%3Ax::two%0Alines 100%25');
  });
  it('leaves out the space when there are no properties', () => {
    expect(workflowCommand('notice', {}, 'hi')).toBe('::notice::hi');
  });
});
