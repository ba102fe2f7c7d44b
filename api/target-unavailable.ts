// A compiled model that cannot start on this machine (no WebGPU adapter, no C compiler) is the user's setup,
// not a bug: one line naming the target and what to install, with CompileError kind 'io'.

import { CompileError } from '../compiler/ir/errors.ts';
import { NO_ADAPTER_MESSAGE } from '../runtime/webgpu-errors.ts';

const MISSING_TOOL = [NO_ADAPTER_MESSAGE, 'cannot run C compiler'];

/** `e` as "target T cannot run on this machine: ..." when it says a tool or adapter is missing, else `e` itself. */
export function targetUnavailable(target: string, e: unknown): unknown {
  const message = e instanceof Error ? e.message : String(e);
  if (!MISSING_TOOL.some((m) => message.startsWith(m))) return e;
  return new CompileError(`target ${target} cannot run on this machine: ${message}`, { kind: 'io' });
}
