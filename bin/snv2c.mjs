#!/usr/bin/env node
// Entry point: the sources are TypeScript run through tsx (no build step), registered before loading the CLI.
import { register } from 'tsx/esm/api';

// `snv2c analyze --json | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

register();
await import('./cli.ts');
