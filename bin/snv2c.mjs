#!/usr/bin/env node
// Entry point: the sources are TypeScript run through tsx (no build step), registered before loading the CLI.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
