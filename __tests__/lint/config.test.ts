import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { InputError } from '../../src/core/errors';
import {
  applyLintPolicy,
  closestMatch,
  DEFAULT_LINT_POLICY,
  DEFAULT_POLICY_FILE,
  LintPolicy,
  loadLintPolicy,
  parseLintPolicy,
} from '../../src/modes/lint/config';
import { compileGlob, pathMatcher } from '../../src/modes/lint/glob';
import { MAX_FLOW_OPENERS } from '../../src/modes/lint/source';
import { finding } from '../report/fixtures/rules';

const FILE = '.github/buildx-guard.yml';
const FIXTURE_ROOT = join(__dirname, '../report/fixtures/policy');

const policy = (overrides: Partial<LintPolicy>): LintPolicy => ({ ...DEFAULT_LINT_POLICY, ...overrides });

describe('parseLintPolicy: valid files', () => {
  it.each<[string, string, LintPolicy]>([
    ['an empty file', '', policy({})],
    ['only comments', '# nothing yet\n', policy({})],
    ['empty keys', 'rules:\nignore-paths:\nattestation-policy:\n', policy({})],
    ['attestation-policy in any case', 'attestation-policy: Keep', policy({ attestationPolicy: 'keep' })],
    [
      'off and severities',
      'rules:\n  attestations-explicitly-enabled: off\n  manifest-merge-of-index: WARNING\n',
      policy({
        rules: {
          'attestations-explicitly-enabled': { enabled: false },
          'manifest-merge-of-index': { enabled: true, severity: 'warning' },
        },
      }),
    ],
    [
      'booleans',
      'rules: { parse-error: false, manifest-merge-of-index: true }',
      policy({ rules: { 'parse-error': { enabled: false }, 'manifest-merge-of-index': { enabled: true } } }),
    ],
    [
      'the long form',
      'rules:\n  single-platform-attestations: { severity: note }\n  parse-error: { enabled: false, severity: error }\n' +
        '  manifest-merge-of-index: { severity: off }\n',
      policy({
        rules: {
          'single-platform-attestations': { enabled: true, severity: 'note' },
          'parse-error': { enabled: false },
          'manifest-merge-of-index': { enabled: false },
        },
      }),
    ],
    [
      'ignore paths',
      'ignore-paths:\n  - .github/workflows/legacy-*.yml\n  - "vendor/**"\n',
      policy({ ignorePaths: ['.github/workflows/legacy-*.yml', 'vendor/**'] }),
    ],
    [
      'the image store of every self-hosted runner',
      'image-store: Classic\n',
      policy({ imageStore: { labels: new Map(), others: 'classic' } }),
    ],
    [
      'the image store per runner label',
      "image-store: { gpu: containerd, old: classic, '*': unknown }\n",
      policy({
        imageStore: {
          labels: new Map([
            ['gpu', 'containerd'],
            ['old', 'classic'],
          ]),
          others: 'unknown',
        },
      }),
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseLintPolicy(text, FILE)).toEqual(expected);
  });
});

describe('parseLintPolicy: invalid files name the key, the place, the value and the fix', () => {
  it.each([
    [
      'an unknown key, with the closest one',
      'attestation-policy: auto\nrule:\n  parse-error: off\n',
      `Invalid key in ${FILE}:2:1: "rule". Did you mean "rules"? The policy file's keys are attestation-policy, rules, ignore-paths, image-store.`,
    ],
    [
      'an unknown key, nothing close',
      'severity: error\n',
      `Invalid key in ${FILE}:1:1: "severity". The policy file's keys are attestation-policy, rules, ignore-paths, image-store.`,
    ],
    [
      'an unknown rule id',
      'rules:\n  manifest-merge-of-indexes: warning\n',
      `Invalid rule id in ${FILE}:2:3: "manifest-merge-of-indexes". Did you mean "manifest-merge-of-index"? ` +
        'The rule ids are single-platform-attestations, manifest-merge-of-index, attestations-explicitly-enabled, parse-error.',
    ],
    [
      'a bad severity',
      'rules:\n  parse-error: fatal\n',
      `Invalid rules.parse-error in ${FILE}:2:16: "fatal". Use off, error, warning or note (or the long form { enabled: false } or { severity: warning }).`,
    ],
    [
      'an empty severity',
      'rules:\n  parse-error:\n',
      `Invalid rules.parse-error in ${FILE}:2:15: "". Use off, error, warning or note (or the long form { enabled: false } or { severity: warning }).`,
    ],
    [
      'a bad severity in the long form',
      'rules:\n  parse-error: { severity: info }\n',
      `Invalid rules.parse-error in ${FILE}:2:28: "info". Use off, error, warning or note (or the long form { enabled: false } or { severity: warning }).`,
    ],
    [
      'a non-boolean enabled',
      'rules:\n  parse-error: { enabled: "no" }\n',
      `Invalid rules.parse-error.enabled in ${FILE}:2:27: "no". Use true or false.`,
    ],
    [
      'an unknown key in the long form',
      'rules:\n  parse-error: { severty: note }\n',
      `Invalid key of rules.parse-error in ${FILE}:2:18: "severty". Did you mean "severity"? The long form of a rule takes enabled and severity.`,
    ],
    [
      'rules as a list',
      'rules:\n  - parse-error\n',
      `Invalid rules in ${FILE}:2:3: "- parse-error". Use a mapping of rule id to off, error, warning or note, e.g. "rules: { manifest-merge-of-index: warning }".`,
    ],
    [
      'a bad image store',
      'image-store: overlay2\n',
      `Invalid image-store in ${FILE}:1:14: "overlay2". Use containerd, classic, unknown (or a mapping of runs-on label to one of them, with '*' for every other runner).`,
    ],
    [
      'a bad image store of a label',
      'image-store:\n  gpu: [containerd]\n',
      `Invalid image-store.gpu in ${FILE}:2:8: "[containerd]". Use containerd, classic, unknown (or a mapping of runs-on label to one of them, with '*' for every other runner).`,
    ],
    [
      'a bad attestation policy',
      'attestation-policy: none\n',
      `Invalid attestation-policy in ${FILE}:1:21: "none". Use auto, strip or keep.`,
    ],
    [
      'ignore paths as a string',
      'ignore-paths: .github/workflows/legacy.yml\n',
      `Invalid ignore-paths in ${FILE}:1:15: ".github/workflows/legacy.yml". Use a list of path globs relative to the repository root, e.g. "ignore-paths: [.github/workflows/legacy-*.yml]".`,
    ],
    [
      'an ignore path that is not a string',
      'ignore-paths:\n  - a.yml\n  - { glob: b.yml }\n',
      `Invalid ignore-paths in ${FILE}:3:5: "{ glob: b.yml }". Use a list of path globs relative to the repository root, e.g. "ignore-paths: [.github/workflows/legacy-*.yml]".`,
    ],
    [
      'a file that is a list',
      '- rules\n',
      `Invalid policy file ${FILE}:1:1: "- rules". It must be a mapping with the keys attestation-policy, rules, ignore-paths, image-store.`,
    ],
    [
      'invalid YAML',
      'rules: parse-error: off\n',
      `Invalid policy file ${FILE}:1:8: "rules: parse-error: off". It is not valid YAML (Nested mappings are not allowed in compact mappings): fix the syntax.`,
    ],
    [
      'tabs as indentation',
      'rules:\n\tparse-error: off\n',
      `Invalid policy file ${FILE}:2:1: "parse-error: off". It is not valid YAML (Tabs are not allowed as indentation): fix the syntax.`,
    ],
    [
      'two documents',
      'rules: {}\n---\nrules: {}\n',
      `Invalid policy file ${FILE}:2:1: "---". It holds more than one YAML document: keep one, without "---" separators.`,
    ],
    [
      'a duplicate key',
      'rules: {}\nrules: {}\n',
      `Invalid policy file ${FILE}:2:1: "rules: {}". It is not valid YAML (Map keys must be unique): fix the syntax.`,
    ],
  ])('%s', (_name, text, message) => {
    const attempt = () => parseLintPolicy(text, FILE);
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(message);
  });
});

describe('loadLintPolicy', () => {
  const emptyRoot = () => mkdtempSync(join(tmpdir(), 'bxg-policy-'));

  it('reads the documented example fixture from the default path', () => {
    expect(loadLintPolicy(DEFAULT_POLICY_FILE, { root: FIXTURE_ROOT, explicit: false })).toEqual({
      attestationPolicy: 'strip',
      rules: {
        'attestations-explicitly-enabled': { enabled: false },
        'manifest-merge-of-index': { enabled: true, severity: 'warning' },
        'single-platform-attestations': { enabled: true, severity: 'note' },
        'parse-error': { enabled: true },
      },
      ignorePaths: ['.github/workflows/legacy-*.yml', '.gitea/workflows/experiments/'],
      imageStore: { labels: new Map() },
    });
  });

  it('falls back to the defaults when the default file is missing, and returns a policy it may change', () => {
    const loaded = loadLintPolicy(DEFAULT_POLICY_FILE, { root: emptyRoot(), explicit: false });
    expect(loaded).toEqual(DEFAULT_LINT_POLICY);
    expect(loaded).not.toBe(DEFAULT_LINT_POLICY);
    expect(Object.isFrozen(DEFAULT_LINT_POLICY)).toBe(true);
  });

  it('rejects a missing file that the user named', () => {
    expect(() => loadLintPolicy('ci/policy.yml', { root: emptyRoot(), explicit: true })).toThrow(
      'Invalid policy-file: "ci/policy.yml". No such file: create it, or set policy-file (--policy) to an existing file.',
    );
  });

  it('rejects a directory, even at the default path', () => {
    const root = emptyRoot();
    mkdirSync(join(root, DEFAULT_POLICY_FILE), { recursive: true });
    expect(() => loadLintPolicy(DEFAULT_POLICY_FILE, { root, explicit: false })).toThrow(
      'Invalid policy-file: ".github/buildx-guard.yml". It cannot be read (EISDIR): point policy-file (--policy) at a readable file.',
    );
  });

  it('bounds a policy file as a workflow file is bounded, before parsing it', () => {
    const root = emptyRoot();
    mkdirSync(join(root, '.github'));
    writeFileSync(join(root, DEFAULT_POLICY_FILE), `rules: ${'['.repeat(MAX_FLOW_OPENERS + 1)}\n`);
    expect(() => loadLintPolicy(DEFAULT_POLICY_FILE, { root, explicit: false })).toThrow(
      `Invalid policy-file: ".github/buildx-guard.yml". It holds more than ${MAX_FLOW_OPENERS} opening brackets`,
    );
  });

  it('names the file relative to the root in errors, and accepts an absolute path', () => {
    const root = emptyRoot();
    mkdirSync(join(root, 'ci'));
    writeFileSync(join(root, 'ci/policy.yml'), 'attestation-policy: auto\nrulez: {}\n');
    expect(() => loadLintPolicy(join(root, 'ci/policy.yml'), { root, explicit: true })).toThrow(
      'Invalid key in ci/policy.yml:2:1: "rulez". Did you mean "rules"?',
    );
  });
});

describe('applyLintPolicy', () => {
  const findings = [
    finding({ file: '.github/workflows/release.yml', rule: 'single-platform-attestations' }),
    finding({ file: '.github/workflows/legacy-build.yml', rule: 'single-platform-attestations' }),
    finding({ file: '.gitea/workflows/experiments/a/b.yml', rule: 'manifest-merge-of-index' }),
    finding({
      file: '.forgejo/workflows/x.yml',
      rule: 'attestations-explicitly-enabled',
      severity: 'warning',
    }),
  ];
  const files = (kept: { file: string; severity: string }[]) => kept.map((f) => `${f.file} ${f.severity}`);

  it.each<[string, Partial<LintPolicy>, string[]]>([
    ['the defaults keep everything', {}, files(findings)],
    [
      'a disabled rule',
      { rules: { 'single-platform-attestations': { enabled: false } } },
      ['.gitea/workflows/experiments/a/b.yml error', '.forgejo/workflows/x.yml warning'],
    ],
    [
      'a severity override',
      { rules: { 'attestations-explicitly-enabled': { enabled: true, severity: 'error' } } },
      [...files(findings.slice(0, 3)), '.forgejo/workflows/x.yml error'],
    ],
    [
      'ignored paths: a glob and a directory',
      { ignorePaths: ['.github/workflows/legacy-*.yml', '.gitea/workflows/experiments/'] },
      ['.github/workflows/release.yml error', '.forgejo/workflows/x.yml warning'],
    ],
    ['an ignore of everything under a tree', { ignorePaths: ['**/x.yml'] }, files(findings.slice(0, 3))],
  ])('%s', (_name, overrides, expected) => {
    expect(files(applyLintPolicy(findings, policy(overrides)))).toEqual(expected);
  });

  it('does not change the findings it was given', () => {
    const before = JSON.stringify(findings);
    applyLintPolicy(
      findings,
      policy({ rules: { 'single-platform-attestations': { enabled: true, severity: 'note' } } }),
    );
    expect(JSON.stringify(findings)).toBe(before);
  });
});

describe('compileGlob', () => {
  it.each<[string, string[], string[]]>([
    [
      '.github/workflows/*.yml',
      ['.github/workflows/a.yml', '.github/workflows/.hidden.yml'],
      ['.github/workflows/a/b.yml', '.github/workflows/a.yaml'],
    ],
    [
      '.github/workflows/*.{yml,yaml}',
      ['.github/workflows/a.yml', '.github/workflows/a.yaml'],
      ['.github/workflows/a.yml.bak'],
    ],
    ['**/action.yml', ['action.yml', '.github/actions/build/action.yml'], ['action.yaml', 'myaction.yml']],
    ['.github/**', ['.github/workflows/a.yml', '.github/x'], ['.gitea/workflows/a.yml', '.github']],
    ['a/**/b.yml', ['a/b.yml', 'a/x/b.yml', 'a/x/y/b.yml'], ['ab.yml', 'a/xb.yml', 'b.yml']],
    ['**', ['a', 'a/b/c'], []],
    ['legacy-?.yml', ['legacy-1.yml'], ['legacy-12.yml', 'legacy-/.yml']],
    ['a**b.yml', ['ab.yml', 'axxb.yml'], ['a/b.yml']],
    ['./build.yml', ['build.yml'], ['./build.yml']],
    ['/build.yml', ['build.yml'], []],
    ['dir/', ['dir'], ['dir/a']],
    ['release (v1)+[x].yml', ['release (v1)+[x].yml'], ['release v1.yml']],
    ['a\\*b', ['a*b'], ['axb']],
    ['{a,b', ['{a,b'], ['a', 'b']],
    ['x/{a,{b,c}d}', ['x/a', 'x/bd', 'x/cd'], ['x/b', 'x/ad']],
    ['a}b', ['a}b'], []],
  ])('%s', (glob, matches, misses) => {
    const pattern = compileGlob(glob);
    for (const path of matches) expect([path, pattern.test(path)]).toEqual([path, true]);
    for (const path of misses) expect([path, pattern.test(path)]).toEqual([path, false]);
  });

  it('matches a path without glob characters exactly, however many regexp characters it holds', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9._ ()+^$|[\]-]+(\/[a-z0-9._ ()+^$|[\]-]+)*$/), (path) => {
        const literal = path.replace(/^(\s|\.?\/)+|[\s/]+$/g, '');
        fc.pre(literal !== '');
        expect(compileGlob(literal).test(literal)).toBe(true);
        expect(compileGlob(literal).test(`${literal}x`)).toBe(false);
      }),
    );
  });
});

describe('pathMatcher', () => {
  it.each<[string[], string, boolean]>([
    [[], 'a.yml', false],
    [['legacy'], 'legacy/a/b.yml', true],
    [['legacy/'], 'legacy/a.yml', true],
    [['legacy'], 'legacy-a.yml', false],
    [['*.yml'], 'a.yml', true],
    [['*.yml'], 'dir/a.yml', false],
    [['.github/workflows/legacy-*'], '.github/workflows/legacy-x/a.yml', true],
  ])('%j matches %j: %j', (globs, path, expected) => {
    expect(pathMatcher(globs)(path)).toBe(expected);
  });
});

describe('closestMatch', () => {
  it.each<[string, string | undefined]>([
    ['rule', 'rules'],
    ['ignore_paths', 'ignore-paths'],
    ['IGNORE-PATHS', 'ignore-paths'],
    ['attestations-policy', 'attestation-policy'],
    ['platforms', undefined],
  ])('%j -> %j', (word, expected) => {
    expect(closestMatch(word, ['attestation-policy', 'rules', 'ignore-paths'])).toBe(expected);
  });
});
