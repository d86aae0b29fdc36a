// The harness's own check, run by bench/run.mjs before any bench: the pure parts that turn raw observations
// into figures (statistics, round-trip depth, request kinds, runner files, profile attribution, the corpus).
// A figure is only as good as these, so a failure here stops the run.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { corpusFile } from './lib/corpus';
import { ProxiedRequest, registryPathKind, sequentialRoundTrips } from './lib/latency-proxy';
import { moduleStarts, packageOf, summarizeProfile } from './lib/profile';
import { readCommandFile } from './lib/runner';
import { quantile } from './lib/stats';

const checks: [string, () => void][] = [
  [
    'quantile interpolates between sorted values',
    () => {
      for (const [values, q, expected] of [
        [[3, 1, 2], 0.5, 2],
        [[1, 2, 3, 4], 0.5, 2.5],
        [[10, 20, 30, 40, 50], 0.25, 20],
        [[7], 0.75, 7],
      ] as const) {
        assert.equal(quantile([...values], q), expected, `${values} at ${q}`);
      }
    },
  ],
  [
    'registry paths are sorted into kinds',
    () => {
      for (const [path, kind] of [
        ['/v2/', 'ping'],
        ['/v2/library/alpine/manifests/3.20', 'manifest'],
        ['/v2/a/b/c/manifests/sha256:abc', 'manifest'],
        ['/v2/a/blobs/sha256:abc', 'blob'],
        ['/v2/a/blobs/uploads/?digest=x', 'other'],
        ['/token?scope=repository:a:pull', 'other'],
      ] as const) {
        assert.equal(registryPathKind(path), kind, path);
      }
    },
  ],
  [
    'sequential round trips are the depth of the critical path',
    () => {
      const at = (startedAt: number, endedAt: number): ProxiedRequest => ({
        method: 'HEAD',
        kind: 'manifest',
        status: 200,
        startedAt,
        endedAt,
      });
      for (const [name, requests, expected] of [
        ['nothing', [], 0],
        ['one request', [at(0, 50)], 1],
        ['a GET, then children all at once', [at(0, 50), at(51, 100), at(51, 102), at(52, 101)], 2],
        ['a GET, then two waves', [at(0, 50), at(51, 100), at(51, 101), at(101, 150), at(102, 151)], 3],
        ['overlapping only', [at(0, 50), at(10, 60), at(20, 70)], 1],
      ] as const) {
        assert.equal(sequentialRoundTrips([...requests]), expected, name);
      }
    },
  ],
  [
    'runner command files are read in both forms',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'bxg-bench-check-'));
      try {
        const path = join(dir, 'output');
        writeFileSync(
          path,
          'digest=sha256:1\nmetadata<<ghadelimiter_1\n{\n  "a": 1\n}\nghadelimiter_1\nempty=\n',
        );
        assert.deepEqual(readCommandFile(path), {
          digest: 'sha256:1',
          metadata: '{\n  "a": 1\n}',
          empty: '',
        });
        writeFileSync(path, 'broken<<never\nvalue\n');
        assert.throws(() => readCommandFile(path), /no closing never/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  ],
  [
    'bundle paths name their package',
    () => {
      for (const [path, pkg] of [
        ['node_modules/undici/lib/core/util.js', 'undici'],
        ['node_modules/@actions/core/lib/core.js', '@actions/core'],
        ['node_modules/a/node_modules/b/index.js', 'b'],
        ['src/lint/shell.ts', 'src/lint/shell.ts'],
      ] as const) {
        assert.equal(packageOf(path), pkg, path);
      }
      const bundle = [
        '"use strict";',
        '// node_modules/yaml/a.js',
        'x',
        '  // src/not-a-marker.ts',
        '// src/b.ts',
      ];
      assert.deepEqual(moduleStarts(bundle.join('\n')), [
        { line: 1, module: 'yaml' },
        { line: 4, module: 'src/b.ts' },
      ]);
    },
  ],
  [
    'profile samples are charged to the module of the innermost bundle frame',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'bxg-bench-check-'));
      try {
        const bundlePath = join(dir, 'out', 'entry.js');
        const bundle = [
          '"use strict";',
          '// node_modules/yaml/a.js',
          'function parse() {}',
          '// src/b.ts',
          'run();',
        ];
        mkdirSync(join(dir, 'out'));
        writeFileSync(bundlePath, bundle.join('\n'));
        const url = `file://${bundlePath}`;
        const frame = (functionName: string, lineNumber: number, frameUrl = url) => ({
          functionName,
          url: frameUrl,
          lineNumber,
        });
        const summary = summarizeProfile(
          'check',
          {
            nodes: [
              { id: 1, callFrame: frame('(root)', 0, ''), children: [2, 5] },
              { id: 2, callFrame: frame('', 0), children: [3], positionTicks: [{ line: 5, ticks: 1 }] },
              { id: 3, callFrame: frame('parse', 2), children: [4] },
              { id: 4, callFrame: frame('readFileUtf8', 0, '') },
              { id: 5, callFrame: frame('(garbage collector)', 0, '') },
            ],
            samples: [3, 4, 4, 2, 5],
            timeDeltas: [1000, 1000, 1000, 1000, 1000],
          },
          bundlePath,
        );
        const ms = Object.fromEntries(summary.modules.map((m) => [m.module, m.selfMs]));
        assert.deepEqual(ms, { yaml: 3, 'src/b.ts': 1, '(garbage collector)': 1 });
        assert.equal(summary.totalMs, 5);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  ],
  [
    'the corpus is deterministic, valid YAML, and mixes every template',
    () => {
      assert.deepEqual(corpusFile(42), corpusFile(42));
      const kinds = new Set<string>();
      for (let i = 0; i < 500; i++) {
        const file = corpusFile(i);
        assert.deepEqual(parseDocument(file.text).errors, [], file.path);
        kinds.add(file.path.replace(/-[a-z]+(-image)?-\d+/, ''));
      }
      assert.equal(kinds.size, 9, [...kinds].join(', '));
    },
  ],
];

let failed = 0;
for (const [name, check] of checks) {
  try {
    check();
  } catch (error) {
    failed++;
    process.stderr.write(`bench self-check failed: ${name}: ${(error as Error).message}\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
