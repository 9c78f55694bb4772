/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Types are checked once by `tsc` in `npm test`; jest only transpiles.
  transform: { '^.+\\.ts$': 'ts-jest' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // End-to-end suites each run a whole stack; two at a time fit this machine's two cores.
  maxWorkers: 2,
  // The bench smoke test runs on its own afterwards (jest.bench.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/bench/'],
  testTimeout: 30_000,
};
