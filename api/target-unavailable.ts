// A compiled model that cannot start on this machine (no WebGPU adapter, no C compiler) is the user's setup,
// not a bug: one line naming the target and what to install, with CompileError kind 'io'.

import { CompileError } from '../compiler/ir/errors.ts';
import { NO_ADAPTER_MESSAGE } from '../runtime/webgpu-errors.ts';

const MISSING_TOOL = [NO_ADAPTER_MESSAGE, 'cannot run C compiler'];

/** The one-line error for a target this machine cannot run, saying why (and what to install). */
export function cannotRunHere(target: string, why: string): CompileError {
  return new CompileError(`target ${target} cannot run on this machine: ${why}`, { kind: 'io' });
}

/** `e` as cannotRunHere when it says a tool or adapter is missing, else `e` itself. */
export function targetUnavailable(target: string, e: unknown): unknown {
  const message = e instanceof Error ? e.message : String(e);
  return MISSING_TOOL.some((m) => message.startsWith(m)) ? cannotRunHere(target, message) : e;
}
