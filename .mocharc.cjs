// Tests are TypeScript run through tsx (`npm test` names the spec glob, so `npx mocha FILE` runs one file); the reporter adds the closing "N passed, N failed" line CI reads.
module.exports = {
  'node-option': ['import=tsx'],
  reporter: './test/support/summary-reporter.cjs',
  timeout: 120000,
  recursive: true,
};
