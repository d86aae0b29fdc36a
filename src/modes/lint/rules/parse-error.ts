import { Finding, RuleMeta } from '../finding';
import { finding, LintedFile, Rule } from './rule';

const meta: RuleMeta = {
  id: 'parse-error',
  defaultSeverity: 'error',
  summary: 'A workflow or action file cannot be parsed, so none of its builds are checked.',
  help:
    'The file is not valid YAML (or not a text file at all), so buildx-guard could not check the builds in it. ' +
    'GitHub, Gitea and Forgejo reject such a workflow too. Fix the syntax at the position shown; the linter ' +
    'goes on with the other files either way.',
};

function checkFile(file: LintedFile): Finding[] {
  if (!file.parseError) return [];
  return [
    finding(
      meta,
      file.path,
      file.parseError.at,
      `This file cannot be parsed, so its builds were not checked: ${file.parseError.message}. Fix it; the runner rejects it as well.`,
    ),
  ];
}

export const parseError: Rule = { meta, checkFile };
