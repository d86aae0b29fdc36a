// The job summary of a guarded build: what was pushed, under which policy, and what the registry serves.
import { markdownTable } from '../../core/output/summary';
import { GuardedBuild } from './run';
import { describeBuildxVersion } from '../../core/policy/buildx-version';
import { describeExpected } from './verdict';

const VERDICT: Record<GuardedBuild['verification'], string> = {
  passed: 'passed',
  failed: 'FAILED',
  skipped: 'skipped (verify: false)',
  'nothing pushed': 'nothing pushed, nothing to verify',
};

export function buildSummaryMarkdown(build: GuardedBuild, requestedPlatforms: readonly string[]): string {
  const { result, report } = build;
  const platforms =
    requestedPlatforms.length > 0
      ? requestedPlatforms.join(', ')
      : `${build.defaultPlatform ?? 'unknown'} (builder default)`;
  const mediaType = report?.images[0]?.mediaType || result.mediaType;
  const rows = [
    ['Tags', result.names.join(', ') || 'none'],
    ['Digest', result.digest || 'none'],
    ['Media type', mediaType || 'none'],
    ['Platforms', platforms],
    ['Attestation policy', build.plan.description],
    ['buildx', describeBuildxVersion(build.buildx)],
    ['Expected', build.refs.length > 0 ? describeExpected(build.expectation) : 'nothing (no push)'],
    ['Verification', VERDICT[build.verification]],
  ];
  let markdown = `### buildx-guard build\n\n${markdownTable(['', ''], rows)}`;
  if (report) {
    const images = report.images.map((image) => [
      image.ref,
      image.mediaType || 'not found',
      image.ok ? 'ok' : image.problems.map((p) => p.message).join('; '),
    ]);
    markdown += `\n${markdownTable(['Reference', 'Media type served', 'Verdict'], images)}`;
  }
  return markdown;
}
