// Bundles the action and the CLI into self-contained files under dist/, with the tree-sitter wasm beside them.
// Each file is written to a temp name and renamed, so a test running `node dist/…` never sees half a file.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';

mkdirSync('dist', { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  legalComments: 'none',
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  write: false,
};

function replace(path, write) {
  const temp = `${path}.${process.pid}.tmp`;
  write(temp);
  renameSync(temp, path);
}

const bundles = [
  { entry: 'src/main.ts', out: 'dist/index.js' },
  { entry: 'src/cli.ts', out: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
for (const { entry, out, banner } of bundles) {
  const result = await build({ ...common, entryPoints: [entry], outfile: out, banner });
  replace(out, (temp) => writeFileSync(temp, result.outputFiles[0].contents, { mode: 0o755 }));
}

replace('dist/tree-sitter.wasm', (temp) =>
  copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', temp),
);
replace('dist/tree-sitter-bash.wasm', (temp) =>
  copyFileSync('node_modules/tree-sitter-bash/tree-sitter-bash.wasm', temp),
);
