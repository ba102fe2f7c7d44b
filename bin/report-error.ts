// Every failure the user can cause ends as one line on stderr and exit code 1, never a stack trace.

import { CompileError, oneLine } from '../compiler/ir/errors.ts';
import { NpyFormatError } from '../runtime/npy.ts';

/** The command line itself is wrong (missing argument, unknown option): reported by yargs. */
export class UsageError extends Error {}

export function errorLine(e: unknown): string {
  if (e instanceof CompileError && e.kind === 'internal') return `${e.message} (set SNV2C_DEBUG=1 for a stack trace)`;
  if (e instanceof CompileError || e instanceof NpyFormatError) return e.message;
  if (e instanceof UsageError) return `${oneLine(e.message)} (see snv2c --help)`;
  const message = e instanceof Error ? e.message : String(e);
  return `internal error: ${oneLine(message)} (set SNV2C_DEBUG=1 for a stack trace)`;
}

export function reportError(e: unknown): void {
  process.stderr.write(`snv2c: ${errorLine(e)}\n`);
  if (process.env.SNV2C_DEBUG && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  process.exitCode = 1;
}
