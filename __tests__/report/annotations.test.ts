import { Finding, ruleDocsUrl, Severity } from '../../src/modes/lint/finding';
import { ANNOTATIONS_PER_LEVEL, emitFindings } from '../../src/modes/lint/report/annotations';
import { actionLog, Location, Log } from '../../src/core/output/log';
import { finding } from './fixtures/rules';

const GITHUB = { GITHUB_ACTIONS: 'true' };
const GITEA = { GITHUB_ACTIONS: 'true', GITEA_ACTIONS: 'true' };
const FORGEJO = { GITHUB_ACTIONS: 'true', GITEA_ACTIONS: 'true', FORGEJO_ACTIONS: 'true' };

/** A Log that records what it was asked to write, one string per call. */
function recordingLog() {
  const calls: string[] = [];
  const annotation = (level: string) => (message: string, location?: Location) =>
    calls.push(
      `${level} ${location?.file}:${location?.startLine}:${location?.startColumn} [${location?.title}] ${message}`,
    );
  const log: Log = {
    info: (message) => calls.push(`info ${message}`),
    warning: annotation('warning'),
    error: annotation('error'),
    debug: () => undefined,
    secret: () => undefined,
    group: (_name, fn) => fn(),
    notice: annotation('notice'),
  };
  return { log, calls };
}

const numbered = (severity: Severity, count: number): Finding[] =>
  Array.from({ length: count }, (_, i) =>
    finding({ severity, line: i + 1, column: 1, file: `${severity}.yml`, message: `${severity} ${i + 1}` }),
  );

describe('emitFindings on GitHub', () => {
  it('annotates errors and warnings at their place, with the rule as the title', () => {
    const { log, calls } = recordingLog();
    emitFindings(
      [
        finding({ file: 'a.yml', line: 3, column: 7, message: 'push makes an index' }),
        finding({
          file: 'b.yml',
          line: 5,
          column: 1,
          severity: 'warning',
          rule: 'attestations-explicitly-enabled',
          message: 'sbom',
        }),
      ],
      log,
      GITHUB,
    );
    expect(calls).toEqual([
      `error a.yml:3:7 [single-platform-attestations (${ruleDocsUrl('single-platform-attestations')})] push makes an index`,
      `warning b.yml:5:1 [attestations-explicitly-enabled (${ruleDocsUrl('attestations-explicitly-enabled')})] sbom`,
    ]);
  });

  it('annotates notes as notices, which leave the warnings their share', () => {
    const { log, calls } = recordingLog();
    emitFindings(
      [finding({ file: 'c.yml', line: 2, column: 4, severity: 'note', message: 'matrix' })],
      log,
      GITHUB,
    );
    expect(calls).toEqual([
      `notice c.yml:2:4 [single-platform-attestations (${ruleDocsUrl('single-platform-attestations')})] matrix`,
    ]);
  });

  it(`annotates ${ANNOTATIONS_PER_LEVEL} of each severity, then says how many more and lists them`, () => {
    const { log, calls } = recordingLog();
    const findings = [...numbered('error', 13), ...numbered('warning', 11), ...numbered('note', 4)];
    emitFindings(findings, log, GITHUB);

    const annotations = calls.filter((call) => !call.startsWith('info '));
    expect(annotations.filter((call) => call.startsWith('error '))).toHaveLength(10);
    expect(annotations.filter((call) => call.startsWith('warning '))).toHaveLength(10);
    expect(annotations.filter((call) => call.startsWith('notice '))).toHaveLength(4);
    expect(annotations[9]).toBe(
      `error error.yml:10:1 [single-platform-attestations (${ruleDocsUrl('single-platform-attestations')})] error 10`,
    );
    expect(calls.filter((call) => call.startsWith('info '))).toEqual([
      'info … and 4 more findings than GitHub annotates (10 of each severity per step): they follow as log lines, ' +
        'and are in the job summary and the SARIF file (sarif-file).',
      'info error.yml:11:1: error single-platform-attestations: error 11',
      'info error.yml:12:1: error single-platform-attestations: error 12',
      'info error.yml:13:1: error single-platform-attestations: error 13',
      'info warning.yml:11:1: warning single-platform-attestations: warning 11',
    ]);
  });

  it('writes nothing for no findings', () => {
    const { log, calls } = recordingLog();
    emitFindings([], log, GITHUB);
    expect(calls).toEqual([]);
  });
});

describe.each([
  ['Gitea', GITEA],
  ['Forgejo', FORGEJO],
  ['a terminal', {}],
])('emitFindings on %s', (_name, env) => {
  it('also prints every finding as a plain line, past the annotation limit too', () => {
    const { log, calls } = recordingLog();
    const findings = [...numbered('error', 12), ...numbered('note', 1)];
    emitFindings(findings, log, env);
    const lines = calls.filter((call) => call.startsWith('info '));
    expect(lines).toEqual([
      ...findings.map((f) => `info ${f.file}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}`),
      `info single-platform-attestations: ${ruleDocsUrl('single-platform-attestations')}`,
    ]);
    expect(calls.filter((call) => call.startsWith('error '))).toHaveLength(10);
  });
});

describe('emitFindings through @actions/core', () => {
  let written: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());

  it('writes escaped workflow commands that carry the location', () => {
    emitFindings(
      [
        finding({
          file: 'dir,x/a:b.yml',
          line: 4,
          column: 2,
          message: '100% an index\nadd provenance: false',
        }),
        finding({ file: 'w.yml', line: 1, column: 1, severity: 'note', rule: 'parse-error', message: 'n' }),
      ],
      actionLog(),
      GITHUB,
    );
    expect(written.join('').split(/\r?\n/)).toEqual([
      '::error title=single-platform-attestations (https%3A//github.com/buildx-guard/buildx-guard/blob/main/docs/rules/single-platform-attestations.md),file=dir%2Cx/a%3Ab.yml,line=4,col=2::100%25 an index%0Aadd provenance: false',
      '::notice title=parse-error (https%3A//github.com/buildx-guard/buildx-guard/blob/main/docs/rules/parse-error.md),file=w.yml,line=1,col=1::n',
      '',
    ]);
  });
});
