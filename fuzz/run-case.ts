// One fuzz case, in this thread: build the input, feed it to the product, and judge the outcome by the project's
// contract for bad input: success, or a one-line error that names the file and is not an internal error.

import { CompileError } from '../compiler/ir/errors.ts';
import { NpyFormatError } from '../runtime/npy.ts';
import { FORMATS } from './formats/index.ts';
import { caseRandom } from './random.ts';

export type Verdict = 'ok' | 'refused' | 'finding';

export interface CaseOutcome {
  readonly iteration: number;
  readonly verdict: Verdict;
  readonly mutation: string;
  /** The error message (refused), or what is wrong (finding). */
  readonly message?: string;
}

export function judgeError(e: unknown, format: string): { verdict: Verdict; message: string } {
  const clean = e instanceof CompileError || e instanceof NpyFormatError;
  const message = e instanceof Error ? e.message : String(e);
  if (!clean || format === 'graph') return { verdict: 'finding', message: `${e instanceof Error ? e.name : typeof e}: ${message.slice(0, 300)}` };
  if (e instanceof CompileError && e.kind === 'internal') return { verdict: 'finding', message: `internal: ${message.slice(0, 300)}` };
  if (/[\r\n]/.test(message)) return { verdict: 'finding', message: `not one line: ${JSON.stringify(message.slice(0, 300))}` };
  if (!message.includes(`fuzz.`)) return { verdict: 'finding', message: `does not name the file: ${message.slice(0, 300)}` };
  return { verdict: 'refused', message };
}

export async function runCase(format: string, seed: number, iteration: number): Promise<CaseOutcome> {
  const fuzz = FORMATS[format];
  let mutation = '(generation failed)';
  try {
    const input = fuzz.generate(caseRandom(format, seed, iteration));
    mutation = input.mutation;
    await fuzz.consume(input);
    return { iteration, verdict: 'ok', mutation };
  } catch (e) {
    return { iteration, mutation, ...judgeError(e, format) };
  }
}
