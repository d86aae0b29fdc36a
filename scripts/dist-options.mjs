// How dist/ is bundled: scripts/build.mjs writes it, bench/run.mjs builds the same to measure what it is made of.
//
// ES modules with code splitting: dist/index.js and dist/cli.js are small entries, and each mode (and the code
// modes share) is a chunk that is read only when a step or command runs that mode, through the entries'
// `await import`. A mode added to src/main.ts and src/cli.ts gets its chunk with no change here.

/** The bundle's entries (dist/<name>.js) and the mode's lint chunk locates its wasm beside them. */
export const entryPoints = { index: 'src/main.ts', cli: 'src/cli.ts' };

// ESM has no require, __dirname or __filename. The CommonJS packages in the bundle require Node's built-ins,
// and src/modes/lint/shell.ts finds its wasm files beside the running file: every output file gets them back.
const banner = [
  `import { createRequire as __bxgCreateRequire } from 'node:module';`,
  `import { fileURLToPath as __bxgFileURLToPath } from 'node:url';`,
  `const require = __bxgCreateRequire(import.meta.url);`,
  `const __bxgFilename = __bxgFileURLToPath(import.meta.url);`,
  `const __bxgDirname = __bxgFileURLToPath(new URL('.', import.meta.url)).replace(/\\/$/, '');`,
].join('\n');

// @actions/core loads its HTTP client (and, through it, undici) only for getIDToken, the OIDC token request that
// buildx-guard never makes. Leaving it out keeps the action's entry free of HTTP code and leaves the registry
// client's undici the bundle's only HTTP stack.
const withoutOidc = {
  name: 'without @actions/core OIDC',
  setup(build) {
    build.onResolve({ filter: /^\.\/oidc-utils$/ }, (args) =>
      /node_modules[\\/]@actions[\\/]core[\\/]/.test(args.importer)
        ? { path: 'oidc-utils', namespace: 'left-out' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, () => ({
      loader: 'js',
      contents: `exports.OidcClient = { getIDToken() { throw new Error('getIDToken is not part of the buildx-guard bundle'); } };`,
    }));
  },
};

export const distOptions = {
  entryPoints,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  banner: { js: banner },
  define: { __dirname: '__bxgDirname', __filename: '__bxgFilename' },
  plugins: [withoutOidc],
  legalComments: 'none',
  minify: true,
  keepNames: true,
  logLevel: 'warning',
};
