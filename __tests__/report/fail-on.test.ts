import { Severity } from '../../src/modes/lint/finding';
import { FailOn, failsOn } from '../../src/modes/lint/report/fail-on';
import { finding } from './fixtures/rules';

const of = (...severities: Severity[]) => severities.map((severity) => finding({ severity }));

describe('failsOn', () => {
  it.each<[Severity[], FailOn, boolean]>([
    [[], 'note', false],
    [['error'], 'error', true],
    [['error'], 'warning', true],
    [['error'], 'note', true],
    [['error'], 'never', false],
    [['warning'], 'error', false],
    [['warning'], 'warning', true],
    [['warning'], 'note', true],
    [['note'], 'error', false],
    [['note'], 'warning', false],
    [['note'], 'note', true],
    [['note', 'note', 'warning'], 'warning', true],
    [['note', 'warning'], 'error', false],
  ])('%j with fail-on %s -> %j', (severities, failOn, expected) => {
    expect(failsOn(of(...severities), failOn)).toBe(expected);
  });
});
