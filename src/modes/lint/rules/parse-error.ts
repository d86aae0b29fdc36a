import { Finding, RuleMeta } from '../finding';
import { finding, LintedFile, Rule } from './rule';

const meta: RuleMeta = {
  id: 'parse-error',
  defaultSeverity: 'error',
  summary: 'A workflow or action file cannot be parsed, so none of its builds are checked.',
  help:
    "buildx-guard's YAML 1.2 parser rejected the file (or it is not a text file at all), so the builds in it were " +
    'not checked. Fix the syntax at the position shown; the linter goes on with the other files either way.',
};

function checkFile(file: LintedFile): Finding[] {
  if (!file.parseError) return [];
  return [
    finding(
      meta,
      file.path,
      file.parseError.at,
      file.parseError.unread
        ? `This file was not parsed: ${file.parseError.message}. Its builds were not checked.`
        : `Our YAML 1.2 parser rejected this file at line ${file.parseError.at.line}, column ` +
            `${file.parseError.at.column}: ${file.parseError.message}. Its builds were not checked.`,
    ),
  ];
}

export const parseError: Rule = { meta, checkFile };
