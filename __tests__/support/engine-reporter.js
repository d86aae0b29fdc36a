// Says once, at the end of the run, which suites were skipped because the real engine is not running, instead
// of one line per skipped test (or silence).
const { relative } = require('node:path');
const { skippedFlavour } = require('./engine-status');

class EngineReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const skipped = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        const flavour = test.status === 'pending' ? skippedFlavour(test.ancestorTitles[0] ?? '') : null;
        if (!flavour) continue;
        const path = relative(this.rootDir, file.testFilePath);
        skipped.set(path, (skipped.get(path) ?? new Set()).add(flavour));
      }
    }
    if (skipped.size === 0) return;
    const lines = [...skipped].map(([path, flavours]) => `  ${path} (${[...flavours].join(' and ')} engine)`);
    process.stderr.write(
      `\nSkipped ${skipped.size} suite(s) that need the real engine, which is not running ` +
        `(start it with scripts/engine.sh start [--classic], as root):\n${lines.join('\n')}\n`,
    );
  }
}

module.exports = EngineReporter;
