#!/usr/bin/env node
// Entry point. The installed package runs the compiled JavaScript in dist/; a source checkout (where cli.ts sits
// next to this file) runs the TypeScript through tsx, a development dependency, so edits need no build step.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `snv2c analyze --json | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const args = process.argv.slice(2);
const { mayStartDawn, runQuietly } = await import('./dawn-quiet.mjs');
if (!process.env.SNV2C_DAWN_QUIET && !process.env.SNV2C_DAWN_LOG && mayStartDawn(args)) {
  process.exitCode = await runQuietly(fileURLToPath(import.meta.url), args);
} else if (existsSync(new URL('./cli.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./cli.ts');
} else {
  await import('../dist/bin/cli.js');
}
