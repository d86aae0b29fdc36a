// Where things are, from a bundled bench entry in bench/out/ (run.mjs builds everything named here).
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const OUT = join(ROOT, 'bench', 'out');
export const STUBS = join(ROOT, 'bench', 'stubs');

export const DIST_ACTION = join(ROOT, 'dist', 'index.js');
export const DIST_CLI = join(ROOT, 'dist', 'cli.js');
export const ACTION_YML = join(ROOT, 'action.yml');

/** Unminified builds of the same entries, for profiles that name source modules. */
export const PROFILE_ACTION = join(OUT, 'prof', 'index.js');
export const PROFILE_CLI = join(OUT, 'prof', 'cli.js');

/** The buildx test double, bundled as global-setup bundles it. */
export const DOCKER_DOUBLE = join(OUT, 'bin', 'docker');

export const USAGE_REPORTER = join(OUT, 'usage-reporter.js');
export const YAML_BASELINE = join(OUT, 'yaml-baseline.js');
export const LATENCY_PROXY = join(OUT, 'latency-proxy.js');
export const REGISTRY_SERVER = join(OUT, 'registry-server.js');

/** esbuild's metafile of a build like dist/'s (bench/out/dist-meta/). */
export const DIST_METAFILE = join(OUT, 'dist.meta.json');
