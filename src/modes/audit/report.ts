// The audit report (JSON as DESIGN.md has it), its totals, and its two renderings: a text table and the job summary.
import { inline, markdownCode } from '../../core/output/neutralize';
import { markdownTable } from '../../core/output/summary';
import { IMAGE_MANIFEST_TYPES, INDEX_TYPES } from '../../core/registry/mediatype';
import { ImageReport, Problem } from '../../core/verification/report';

/** What a tag is, for the totals: the shapes a cleanup or a repair treats differently. */
export type Shape =
  'manifest' | 'attestation-index' | 'multi-platform-index' | 'index' | 'not-found' | 'other';

export interface AuditTag {
  tag: string;
  digest: string;
  mediaType: string;
  shape: Shape;
  ok: boolean;
  /** Attestation manifests the tag reaches, and their bytes (manifest plus blobs, each digest once). */
  attestations: number;
  attestationBytes: number;
  /** Manifests the tag reaches that the registry does not have. */
  missing: string[];
  problems: Problem[];
}

export interface AuditTotals {
  tags: number;
  failing: number;
  shapes: Partial<Record<Shape, number>>;
  /** Across the repository: a manifest or blob reached from several tags counts once. */
  attestationManifests: number;
  attestationBytes: number;
  /** Tags whose index has missing children, and the distinct missing digests. */
  danglingIndexes: number;
  missingChildren: number;
}

export interface AuditRepository {
  repository: string;
  tags: AuditTag[];
  totals: AuditTotals;
}

export interface AuditReport {
  repositories: AuditRepository[];
}

export function shapeOf(report: ImageReport): Shape {
  if (!report.digest) return 'not-found';
  if (IMAGE_MANIFEST_TYPES.includes(report.mediaType)) return 'manifest';
  if (!INDEX_TYPES.includes(report.mediaType)) return 'other';
  const count = (kind: string) => report.children.filter((child) => child.kind === kind).length;
  if (count('image') > 1) return 'multi-platform-index';
  if (count('image') === 1 && count('attestation') > 0 && count('unknown') === 0) return 'attestation-index';
  return 'index';
}

export function totalsOf(tags: AuditTag[], attestations: { count: number; bytes: number }): AuditTotals {
  const shapes: Partial<Record<Shape, number>> = {};
  for (const tag of tags) shapes[tag.shape] = (shapes[tag.shape] ?? 0) + 1;
  return {
    tags: tags.length,
    failing: tags.filter((tag) => !tag.ok).length,
    shapes,
    attestationManifests: attestations.count,
    attestationBytes: attestations.bytes,
    danglingIndexes: tags.filter((tag) => tag.missing.length > 0).length,
    missingChildren: new Set(tags.flatMap((tag) => tag.missing)).size,
  };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function describeTotals(totals: AuditTotals): string {
  const shapes = Object.entries(totals.shapes)
    .map(([shape, count]) => `${count} ${shape}`)
    .join(', ');
  return (
    `${totals.tags} tag${totals.tags === 1 ? '' : 's'} (${shapes || 'none'}), ${totals.failing} failing; ` +
    `${totals.attestationManifests} attestation manifest${totals.attestationManifests === 1 ? '' : 's'} ` +
    `(${formatBytes(totals.attestationBytes)}); ${totals.danglingIndexes} dangling ` +
    `ind${totals.danglingIndexes === 1 ? 'ex' : 'exes'} (${totals.missingChildren} missing child` +
    `${totals.missingChildren === 1 ? '' : 'ren'})`
  );
}

/** One table per repository (tag, shape, digest, attestations, verdict), then its totals. */
export function formatAuditText(report: AuditReport): string {
  return report.repositories
    .map((repository) => {
      const rows = [
        ['TAG', 'SHAPE', 'DIGEST', 'ATTESTATIONS', 'VERDICT'],
        ...repository.tags.map((tag) => [
          tag.tag,
          tag.shape,
          tag.digest ? `${tag.digest.slice(0, 19)}…` : '-',
          tag.attestations ? `${tag.attestations} (${formatBytes(tag.attestationBytes)})` : '-',
          tag.ok ? 'OK' : `FAIL ${[...new Set(tag.problems.map((p) => p.code))].join(',')}`,
        ]),
      ];
      const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
      const table = rows.map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      );
      return [
        inline(repository.repository),
        ...table.map((line) => `  ${line}`),
        `  totals: ${describeTotals(repository.totals)}`,
      ].join('\n');
    })
    .join('\n\n')
    .concat('\n');
}

/** A summary stays readable (and under the runner's size limit) however many tags fail. */
const SUMMARY_FAILING_LINES = 50;

/** The job summary: one row per repository, then each failing tag with its problem codes. */
export function auditSummaryMarkdown(report: AuditReport, keepSetPath?: string): string {
  const rows = report.repositories.map(({ repository, totals }) => [
    repository,
    String(totals.tags),
    String(totals.failing),
    `${totals.attestationManifests} (${formatBytes(totals.attestationBytes)})`,
    String(totals.danglingIndexes),
  ]);
  const failing = report.repositories.flatMap(({ repository, tags }) =>
    tags
      .filter((tag) => !tag.ok)
      .map(
        (tag) =>
          `- ${markdownCode(`${repository}:${tag.tag}`)} ${[...new Set(tag.problems.map((p) => `**${p.code}**`))].join(', ')}`,
      ),
  );
  const shown = failing.slice(0, SUMMARY_FAILING_LINES);
  if (failing.length > shown.length)
    shown.push(`- … and ${failing.length - shown.length} more (see the report output)`);
  return [
    '### buildx-guard audit',
    '',
    markdownTable(['Repository', 'Tags', 'Failing', 'Attestations', 'Dangling indexes'], rows).trimEnd(),
    ...(shown.length > 0 ? ['', ...shown] : []),
    ...(keepSetPath ? ['', `Keep-set: ${markdownCode(keepSetPath)}`] : []),
    '',
  ].join('\n');
}
