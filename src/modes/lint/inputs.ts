// Lint mode's inputs. The action reads them by name (core.getInput); the CLI maps its flags onto the same
// names, so both share the validation and the error messages.
import { InputError } from '../../core/errors';
import { DEFAULT_POLICY_FILE } from './config';
import { FAIL_ON_VALUES, FailOn } from './report/fail-on';
import { FINDINGS_FORMATS, FindingsFormat } from './report/findings';
import { InputSource, parseBoolean, parseChoice, parseList } from '../../core/inputs';

export interface LintInputs {
  /** Globs, files or directories relative to the root; empty for the default search. */
  workflows: string[];
  policyFile: string;
  /** True when the user named the policy file, so a missing one is an error rather than the defaults. */
  policyFileExplicit: boolean;
  failOn: FailOn;
  sarifFile: string | undefined;
  /** Pull-request checks (action only): report only findings in the files the PR changes. */
  onlyChanged: boolean;
  /** Pull-request checks: fail only on findings on lines the PR adds or changes. */
  newFindingsOnly: boolean;
  /** Pull-request checks: write one comment on the PR and update it on every run. */
  comment: boolean;
}

export function readLintInputs(get: InputSource): LintInputs {
  const policyFile = get('policy-file').trim();
  return {
    workflows: parseList(get('workflows'), { ignoreComma: true }).flatMap(splitOutsideBraces),
    policyFile: policyFile || DEFAULT_POLICY_FILE,
    policyFileExplicit: policyFile !== '' && policyFile !== DEFAULT_POLICY_FILE,
    failOn: parseChoice(get, 'fail-on', FAIL_ON_VALUES, 'error'),
    sarifFile: get('sarif-file').trim() || undefined,
    onlyChanged: parseBoolean(get, 'only-changed', false),
    newFindingsOnly: parseBoolean(get, 'new-findings-only', false),
    comment: parseBoolean(get, 'comment', false),
  };
}

/** `a.yml, b/*.{yml,yaml}` → two globs: commas split them, except inside `{…}`. */
function splitOutsideBraces(line: string): string[] {
  const globs: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of line) {
    if (ch === '{') depth++;
    if (ch === '}' && depth > 0) depth--;
    if (ch === ',' && depth === 0) {
      globs.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  globs.push(current);
  return globs.map((glob) => glob.trim()).filter((glob) => glob !== '');
}

export interface LintCommandOptions {
  inputs: LintInputs;
  paths: string[];
  format: FindingsFormat;
  fix: boolean;
  help: boolean;
}

const VALUE_FLAGS: Record<string, string> = {
  '--format': 'format',
  '--fail-on': 'fail-on',
  '--policy': 'policy-file',
};

/** `buildx-guard lint [--format F] [--fail-on S] [--policy FILE] [--fix] [-h|--help] [PATH...]`. */
export function parseLintArgs(args: string[]): LintCommandOptions {
  const values = new Map<string, string>();
  const paths: string[] = [];
  let fix = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const equals = arg.indexOf('=');
    const flag = arg.startsWith('--') && equals > 0 ? arg.slice(0, equals) : arg;
    if (arg === '--') {
      paths.push(...args.slice(i + 1));
      break;
    } else if (flag in VALUE_FLAGS) {
      const value = equals > 0 && flag !== arg ? arg.slice(equals + 1) : args[++i];
      if (value === undefined || value === '') {
        throw new InputError(flag, value ?? '', `Give ${flag} a value (see buildx-guard lint --help).`);
      }
      values.set(VALUE_FLAGS[flag], value);
    } else if (arg === '--fix') {
      fix = true;
    } else if (arg === '-h' || arg === '--help') {
      help = true;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new InputError(
        'option',
        arg,
        'Use --format, --fail-on, --policy, --fix or --help (see buildx-guard lint --help).',
      );
    } else {
      paths.push(arg);
    }
  }
  const get: InputSource = (name) => values.get(name) ?? '';
  return {
    inputs: { ...readLintInputs(get), policyFileExplicit: values.has('policy-file') },
    paths,
    format: parseChoice(get, 'format', FINDINGS_FORMATS, 'text'),
    fix,
    help,
  };
}

export const LINT_USAGE = `Usage: buildx-guard lint [options] [PATH...]

Checks workflow files for container builds and merges whose result would violate the attestation policy.
PATH may be a file, a directory or a glob; by default .github/workflows, .gitea/workflows, .forgejo/workflows
and every composite action.yml under the current directory. PATH - reads one workflow from standard input.

Options:
  --format text|json|sarif|github   output format (default: text)
  --fail-on error|warning|note|never
                                    the lowest severity that makes the exit code 1 (default: error)
  --policy FILE                     the policy file (default: ${DEFAULT_POLICY_FILE}, if it exists)
  --fix                             add the flags or inputs that turn default attestations off, in place
  -h, --help                        show this help

Exit codes: 0 no finding at or above --fail-on, 1 there is one, 2 usage or fatal error.
`;
