/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__', '<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  globalSetup: '<rootDir>/__tests__/support/global-setup.js',
  setupFiles: ['<rootDir>/__tests__/support/fast-check-seed.js'],
  testTimeout: 60000,
};
