// The README's "Guarantees" must say what the code does: the bounds it lists are the defaults in
// src/core/registry/limits.ts (or the bounds the behaviour tests prove), and the statuses it calls retried are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LIMITS, isRetryableStatus, Limits, limitsFromEnv } from '../../src/core/registry/limits';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const section = README.slice(
  README.indexOf('\n## Guarantees\n'),
  README.indexOf('\n## ', README.indexOf('\n## Guarantees\n') + 1),
);

/** The bounds table: first column -> [default, setting]. */
const bounds = new Map(
  section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !/^\| -+ \|/.test(line))
    .slice(1)
    .map((line) => {
      const [bound, value, setting] = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      return [bound, [value, setting]] as const;
    }),
);

const seconds = (ms: number) => `${ms / 1000} s`;

describe('the README guarantees', () => {
  it.each<[string, string, string]>([
    [
      'One request, from connect to its last byte',
      seconds(DEFAULT_LIMITS.timeoutMs),
      '`BUILDX_GUARD_TIMEOUT_MS`',
    ],
    ['Retries after a retried fault', String(DEFAULT_LIMITS.retries), '`BUILDX_GUARD_RETRIES`'],
    [
      'Backoff before the first retry (it doubles, up to 16 times the first)',
      seconds(DEFAULT_LIMITS.backoffMs),
      '`BUILDX_GUARD_RETRY_BASE_MS`',
    ],
    [
      'The whole check of one reference, retries included',
      seconds(DEFAULT_LIMITS.deadlineMs),
      '`BUILDX_GUARD_DEADLINE_MS`',
    ],
    ['Longest `Retry-After` honoured', seconds(DEFAULT_LIMITS.maxRetryAfterMs), ''],
    ["A credential helper's answer", seconds(DEFAULT_LIMITS.timeoutMs), '`BUILDX_GUARD_TIMEOUT_MS`'],
    // Proven by behaviour: no-false-pass.test.ts (four looks), registry/faults.test.ts (4 MiB, 5 redirects),
    // reliability/faults.test.ts (1 MiB).
    ['New looks for a tag not visible yet after a push (build mode)', '3', ''],
    ['A manifest, or an image config read for its platform', '4 MiB', ''],
    ["A token realm's answer", '1 MiB', ''],
    ['Redirects followed', '5', ''],
  ])('%s: %s', (bound, value, setting) => {
    expect(bounds.get(bound)).toEqual([value, setting]);
  });

  it('lists no bound that is not checked here', () => expect(bounds.size).toBe(10));

  it.each<[string, keyof Limits]>([
    ['BUILDX_GUARD_TIMEOUT_MS', 'timeoutMs'],
    ['BUILDX_GUARD_RETRIES', 'retries'],
    ['BUILDX_GUARD_RETRY_BASE_MS', 'backoffMs'],
    ['BUILDX_GUARD_DEADLINE_MS', 'deadlineMs'],
  ])('%s is the setting that changes %s', (variable, field) => {
    expect(limitsFromEnv({ [variable]: '7' })).toEqual({ ...DEFAULT_LIMITS, [field]: 7 });
  });

  it('calls retried exactly the statuses that are', () => {
    const paragraph = section.slice(
      section.indexOf('**What is retried.**'),
      section.indexOf('**Time and size bounds.**'),
    );
    const [listed, excepted] = paragraph
      .split('every `5xx` except')
      .map((part) => [...part.matchAll(/`(\d{3})`/g)].map((m) => Number(m[1])));
    const documented = (status: number) =>
      listed.includes(status) || (status >= 500 && status <= 599 && !excepted.slice(0, 2).includes(status));
    const statuses = Array.from({ length: 500 }, (_, i) => 100 + i);
    expect(statuses.filter(isRetryableStatus)).toEqual(statuses.filter(documented));
    expect([listed, excepted.slice(0, 2)]).toEqual([
      [408, 429],
      [501, 505],
    ]);
  });
});
