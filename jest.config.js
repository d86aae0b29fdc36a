/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  globalSetup: '<rootDir>/__tests__/support/global-setup.js',
  // Lists once, at the end, the suites skipped because the real engine (scripts/engine.sh) is not running.
  reporters: ['default', '<rootDir>/__tests__/support/engine-reporter.js'],
  setupFiles: ['<rootDir>/__tests__/support/fast-check-seed.js'],
  testTimeout: 60000,
};
