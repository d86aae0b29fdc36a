import { InputError } from '../../src/core/errors';
import { parseLintArgs, readLintInputs } from '../../src/modes/lint/inputs';

const inputs = (values: Record<string, string>) => readLintInputs((name) => values[name] ?? '');

describe('readLintInputs', () => {
  it('has defaults', () => {
    expect(inputs({})).toEqual({
      workflows: [],
      policyFile: '.github/buildx-guard.yml',
      policyFileExplicit: false,
      failOn: 'error',
      sarifFile: undefined,
      onlyChanged: false,
      newFindingsOnly: false,
      comment: false,
    });
  });

  it.each(['only-changed', 'new-findings-only', 'comment'])(
    'reads %s as a boolean, and names it when invalid',
    (name) => {
      const key = {
        'only-changed': 'onlyChanged',
        'new-findings-only': 'newFindingsOnly',
        comment: 'comment',
      }[name]!;
      expect(inputs({ [name]: 'true' })).toEqual(expect.objectContaining({ [key]: true }));
      expect(() => inputs({ [name]: 'sometimes' })).toThrow(
        `Invalid ${name}: "sometimes". Use true or false.`,
      );
    },
  );

  it.each([
    ['.github/workflows/*.yml', ['.github/workflows/*.yml']],
    ['a.yml, b/*.{yml,yaml}\n!c.yml', ['a.yml', 'b/*.{yml,yaml}', '!c.yml']],
    ['  \n# a comment\nx.yml', ['x.yml']],
  ])('splits workflows %j', (raw, globs) => {
    expect(inputs({ workflows: raw }).workflows).toEqual(globs);
  });

  it('takes a policy file other than the default as named explicitly', () => {
    expect(inputs({ 'policy-file': 'ci/policy.yml' })).toMatchObject({
      policyFile: 'ci/policy.yml',
      policyFileExplicit: true,
    });
    expect(inputs({ 'policy-file': '.github/buildx-guard.yml' }).policyFileExplicit).toBe(false);
  });

  it('rejects a bad fail-on, naming the input, the value and the choices', () => {
    expect(() => inputs({ 'fail-on': 'sometimes' })).toThrow(
      'Invalid fail-on: "sometimes". Use one of: error, warning, note, never.',
    );
  });
});

describe('parseLintArgs', () => {
  it.each<[string[], object]>([
    [
      [],
      {
        paths: [],
        format: 'text',
        fix: false,
        help: false,
        inputs: expect.objectContaining({ failOn: 'error', policyFileExplicit: false }),
      },
    ],
    [['a.yml', 'dir'], { paths: ['a.yml', 'dir'] }],
    [
      ['--format', 'json', '--fail-on=warning'],
      { format: 'json', inputs: expect.objectContaining({ failOn: 'warning' }) },
    ],
    [['--format=SARIF'], { format: 'sarif' }],
    [
      ['--policy', '.github/buildx-guard.yml'],
      {
        inputs: expect.objectContaining({ policyFile: '.github/buildx-guard.yml', policyFileExplicit: true }),
      },
    ],
    [['--fix', '-h'], { fix: true, help: true }],
    [['--', '--odd-name.yml'], { paths: ['--odd-name.yml'] }],
  ])('%j', (args, expected) => {
    expect(parseLintArgs(args)).toMatchObject(expected);
  });

  it.each([
    [['--bogus'], 'Invalid option: "--bogus". Use --format, --fail-on, --policy, --fix or --help'],
    [['--format'], 'Invalid --format: "". Give --format a value'],
    [['--format', 'xml'], 'Invalid format: "xml". Use one of: text, json, sarif, github.'],
    [['--fail-on', 'often'], 'Invalid fail-on: "often".'],
  ])('rejects %j', (args, message) => {
    expect(() => parseLintArgs(args)).toThrow(InputError);
    expect(() => parseLintArgs(args)).toThrow(message);
  });
});
