// What a fuzzed input format provides: a generator of mutated inputs (pure in its Random) and the consumer that
// feeds one to the product the way the CLI does. A consumer resolves on success and throws a CompileError on a
// clean refusal; anything else it throws is a finding.

import type { Random } from './random.ts';

export interface FuzzInput {
  /** The bytes given to the product (a file's contents). */
  readonly bytes: Uint8Array;
  /** Which mutation made it, for the report. */
  readonly mutation: string;
}

export interface FuzzFormat {
  readonly name: string;
  generate(r: Random): FuzzInput;
  consume(input: FuzzInput): Promise<void>;
}

export const FIXTURES = new URL('../fixtures/', import.meta.url);
