// Every failure leaves the library as a CompileError with a kind, so callers branch on `error.kind` and never
// parse message text. Errors from the runtime layer (which cannot import the compiler) are mapped here.

import { CompileError } from '../compiler/ir/errors.ts';
import { NpyFormatError } from '../runtime/npy.ts';

export function asCompileError(e: unknown): CompileError {
  if (e instanceof CompileError) return e;
  if (e instanceof NpyFormatError) return new CompileError(e.message, { kind: 'invalid-input' });
  const message = e instanceof Error ? e.message : String(e);
  const error = new CompileError(`internal error: ${message}`, { kind: 'internal' });
  if (e instanceof Error) error.stack = `${error.stack ?? ''}\ncaused by: ${e.stack ?? e.message}`;
  return error;
}
