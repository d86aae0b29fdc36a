// The audit report's pure parts: shapes, totals, and the text and summary renderings.
import { MediaType } from '../../src/core/registry/mediatype';
import { ChildReport, ImageReport } from '../../src/core/verification/report';
import {
  AuditReport,
  AuditTag,
  auditSummaryMarkdown,
  formatAuditText,
  formatBytes,
  shapeOf,
  totalsOf,
} from '../../src/modes/audit/report';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const child = (kind: ChildReport['kind']): ChildReport => ({
  digest: D('1'),
  mediaType: '',
  platform: '',
  kind,
  present: true,
});
const image = (mediaType: string, kinds: ChildReport['kind'][] = [], digest = D('0')): ImageReport => ({
  ref: 'r',
  digest,
  mediaType,
  ok: true,
  children: kinds.map(child),
  problems: [],
});

describe('shapeOf', () => {
  it.each<[string, ImageReport, string]>([
    ['not found', image('', [], ''), 'not-found'],
    ['an OCI manifest', image(MediaType.OciManifest), 'manifest'],
    ['a Docker manifest', image(MediaType.DockerManifest), 'manifest'],
    ['image + attestation', image(MediaType.OciIndex, ['image', 'attestation']), 'attestation-index'],
    ['two images', image(MediaType.DockerManifestList, ['image', 'image']), 'multi-platform-index'],
    ['one image, no attestation', image(MediaType.OciIndex, ['image']), 'index'],
    ['image + attestation + nested', image(MediaType.OciIndex, ['image', 'attestation', 'unknown']), 'index'],
    ['schema1', image(MediaType.DockerSchema1), 'other'],
  ])('%s is %s', (_name, report, shape) => {
    expect(shapeOf(report)).toBe(shape);
  });
});

const tag = (name: string, extra: Partial<AuditTag> = {}): AuditTag => ({
  tag: name,
  digest: D('a'),
  mediaType: MediaType.OciIndex,
  shape: 'attestation-index',
  ok: true,
  attestations: 1,
  attestationBytes: 100,
  missing: [],
  problems: [],
  ...extra,
});

describe('totalsOf', () => {
  it('counts shapes, failures, dangling indexes and distinct missing children', () => {
    const tags = [
      tag('a'),
      tag('b', { shape: 'manifest', attestations: 0 }),
      tag('c', { ok: false, missing: [D('m'), D('n')] }),
      tag('d', { ok: false, missing: [D('m')] }),
    ];
    expect(totalsOf(tags, { count: 3, bytes: 4096 })).toEqual({
      tags: 4,
      failing: 2,
      shapes: { 'attestation-index': 3, manifest: 1 },
      attestationManifests: 3,
      attestationBytes: 4096,
      danglingIndexes: 2,
      missingChildren: 2,
    });
  });
});

describe('renderings', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [5 * 1024 * 1024 * 1024, '5.0 GiB'],
  ])('formatBytes(%d) is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  const report: AuditReport = {
    repositories: [
      {
        repository: 'reg.local/app',
        tags: [
          tag('v1', { ok: false, problems: [{ code: 'attestation-child', message: 'm' }] }),
          tag('v2', { shape: 'manifest', attestations: 0, attestationBytes: 0 }),
        ],
        totals: totalsOf([tag('v1', { ok: false }), tag('v2', { shape: 'manifest' })], {
          count: 1,
          bytes: 2048,
        }),
      },
    ],
  };

  it('prints one table per repository with its totals', () => {
    expect(formatAuditText(report)).toBe(
      [
        'reg.local/app',
        '  TAG  SHAPE              DIGEST                ATTESTATIONS  VERDICT',
        `  v1   attestation-index  ${D('a').slice(0, 19)}…  1 (100 B)     FAIL attestation-child`,
        `  v2   manifest           ${D('a').slice(0, 19)}…  -             OK`,
        '  totals: 2 tags (1 attestation-index, 1 manifest), 1 failing; 1 attestation manifest (2.0 KiB); 0 dangling indexes (0 missing children)',
        '',
      ].join('\n'),
    );
  });

  it('summarises per repository, lists failing tags, and bounds the list', () => {
    const summary = auditSummaryMarkdown(report, '/tmp/keep.txt');
    expect(summary).toContain('| reg.local/app | 2 | 1 | 1 (2.0 KiB) | 0 |');
    expect(summary).toContain('- `reg.local/app:v1` **attestation-child**');
    expect(summary).toContain('Keep-set: `/tmp/keep.txt`');
    const many: AuditReport = {
      repositories: [
        {
          ...report.repositories[0],
          tags: Array.from({ length: 80 }, (_, i) => tag(`t${i}`, { ok: false })),
        },
      ],
    };
    const lines = auditSummaryMarkdown(many)
      .split('\n')
      .filter((line) => line.startsWith('- '));
    expect(lines).toHaveLength(51);
    expect(lines[50]).toBe('- … and 30 more (see the report output)');
  });
});
