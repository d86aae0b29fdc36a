// SARIF 2.1.0 for GitHub code scanning (upload with github/codeql-action/upload-sarif). It follows the subset
// GitHub documents in "SARIF support for code scanning": one run; a driver with name, semanticVersion and
// rules (id, shortDescription, fullDescription of at most 1000 characters, help text and markdown,
// defaultConfiguration.level); results with ruleId, ruleIndex, level, message.text, one location relative to
// the repository root, and partialFingerprints.primaryLocationLineHash, the only fingerprint GitHub reads.
import { createHash } from 'node:crypto';
import { Finding, ruleDocsUrl, RuleMeta } from '../finding';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const FULL_DESCRIPTION_LIMIT = 1000;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export interface SarifOptions {
  /** Where the tool is documented, when the caller knows it (the action's repository). */
  informationUri?: string;
}

/** A SARIF log with one run: every rule, and one result per finding. */
export function toSarif(findings: Finding[], rules: RuleMeta[], version: string, options: SarifOptions = {}) {
  const descriptors = rules.map(reportingDescriptor);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id as string, index]));
  // A finding whose rule is not in the table still needs a descriptor for its ruleIndex.
  for (const finding of findings) {
    if (ruleIndex.has(finding.rule)) continue;
    ruleIndex.set(finding.rule, descriptors.length);
    descriptors.push(
      reportingDescriptor({
        id: finding.rule,
        defaultSeverity: finding.severity,
        summary: finding.rule,
        help: '',
      }),
    );
  }
  const occurrences = new Map<string, number>();
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'buildx-guard',
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            version,
            ...(SEMVER.test(version) ? { semanticVersion: version } : {}),
            rules: descriptors,
          },
        },
        // Our columns come from JavaScript string offsets.
        columnKind: 'utf16CodeUnits',
        results: findings.map((finding) => {
          const hash = fingerprint(finding);
          const occurrence = (occurrences.get(hash) ?? 0) + 1;
          occurrences.set(hash, occurrence);
          return {
            ruleId: finding.rule,
            ruleIndex: ruleIndex.get(finding.rule) as number,
            level: finding.severity,
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: fileUri(finding.file), uriBaseId: '%SRCROOT%' },
                  region: { startLine: Math.max(1, finding.line), startColumn: Math.max(1, finding.column) },
                },
              },
            ],
            // Rule, file and message, not the line: the alert follows the step when lines above it move.
            // The occurrence count keeps two identical findings in one file apart, as GitHub's own hashes do.
            partialFingerprints: { primaryLocationLineHash: `${hash}:${occurrence}` },
          };
        }),
      },
    ],
  };
}

function reportingDescriptor(rule: RuleMeta) {
  const helpText = plainText(rule.help) || rule.summary;
  const firstParagraph = helpText.split(/\n\s*\n/)[0];
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: { text: rule.summary },
    fullDescription: { text: truncate(firstParagraph, FULL_DESCRIPTION_LIMIT) },
    helpUri: ruleDocsUrl(rule.id),
    help: {
      text: helpText,
      markdown: `${rule.help || rule.summary}\n\n[The rule's page](${ruleDocsUrl(rule.id)})`,
    },
    defaultConfiguration: { level: rule.defaultSeverity },
    properties: { tags: ['containers', 'ci'], precision: 'high' },
  };
}

function fingerprint(finding: Finding): string {
  return createHash('sha256')
    .update(`${finding.rule}\0${finding.file}\0${finding.message}`)
    .digest('hex')
    .slice(0, 16);
}

/** A relative URI: each path segment percent-encoded, the slashes kept. */
function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** Markdown help as plain text: fences, code spans, emphasis and links lose their markup; links keep their target. */
function plainText(markdown: string): string {
  return markdown
    .replace(/^[ \t]*(```|~~~).*$/gm, '')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 3)}...`;
}
