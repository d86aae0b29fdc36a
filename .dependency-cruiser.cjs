// The layering rule (ARCHITECTURE.md): entries → modes → core, arrows only downward.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-imports-no-mode',
      comment:
        'The core (registry client, verification engine, policy, output) serves every mode and knows none.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(modes/|main\\.ts$|cli\\.ts$)' },
    },
    {
      name: 'modes-stay-apart',
      comment: 'A mode never reaches into another mode: what two modes share moves to the core.',
      severity: 'error',
      from: { path: '^src/modes/([^/]+)/' },
      to: { path: '^src/modes/', pathNot: '^src/modes/$1/' },
    },
    {
      name: 'modes-import-no-entry',
      comment: 'Entries only wire; nothing below them imports them.',
      severity: 'error',
      from: { path: '^src/modes/' },
      to: { path: '^src/(main|cli)\\.ts$' },
    },
    {
      name: 'forge-api-only-in-pr-checks',
      comment:
        '@actions/github (octokit) serves the pull-request checks of lint mode only (src/modes/lint/pr/).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/modes/lint/pr/' },
      to: { path: '^node_modules/@actions/github/' },
    },
    {
      name: 'pr-checks-loaded-lazily',
      comment:
        'Outside src/modes/lint/pr/ only its event.ts is imported statically: the rest, octokit with it, is loaded ' +
        'with await import in pull-request events, so no other step pays for it at start-up.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/modes/lint/pr/' },
      to: { path: '^src/modes/lint/pr/', pathNot: '^src/modes/lint/pr/event\\.ts$', dynamic: false },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
