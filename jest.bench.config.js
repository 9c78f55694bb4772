/**
 * The bench smoke test, run by `npm test` after the other suites: it loads the machine on purpose, so it runs
 * alone rather than beside the end-to-end suites, whose SLA timers are seconds long.
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/bench'],
  testPathIgnorePatterns: ['/node_modules/'],
  maxWorkers: 1,
};
