// Tests are TypeScript run through tsx; the reporter adds the closing "N passed, N failed" line CI reads.
module.exports = {
  'node-option': ['import=tsx'],
  spec: ['test/**/*.test.ts'],
  reporter: './test/support/summary-reporter.cjs',
  timeout: 120000,
  recursive: true,
};
