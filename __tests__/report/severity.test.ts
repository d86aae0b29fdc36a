import { Severity } from '../../src/modes/lint/finding';
import { countBySeverity, describeCounts, plural } from '../../src/modes/lint/report/severity';
import { finding } from './fixtures/rules';

const of = (...severities: Severity[]) => severities.map((severity) => finding({ severity }));

describe('describeCounts', () => {
  it.each<[Severity[], string]>([
    [[], 'no findings'],
    [['error'], '1 finding (1 error)'],
    [['note', 'error', 'error'], '3 findings (2 errors, 1 note)'],
    [['warning', 'note', 'warning', 'error'], '4 findings (1 error, 2 warnings, 1 note)'],
  ])('%j -> %j', (severities, expected) => {
    expect(describeCounts(of(...severities))).toBe(expected);
  });
});

describe('countBySeverity', () => {
  it('counts every severity, zero included', () => {
    expect(countBySeverity(of('warning', 'warning'))).toEqual({ error: 0, warning: 2, note: 0 });
  });
});

describe('plural', () => {
  it.each<[number, string]>([
    [0, '0 findings'],
    [1, '1 finding'],
    [2, '2 findings'],
  ])('%d -> %j', (count, expected) => expect(plural(count, 'finding')).toBe(expected));
});
