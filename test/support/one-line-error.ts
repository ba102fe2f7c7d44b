// The error check every loader test makes: bad input must throw the loader's error class with a one-line message
// (the CLI prints it as is), and the test then looks at what the message names.

import { expect } from 'chai';
import { CompileError } from '../../compiler/ir/errors.ts';

/** Runs `f`, expecting it to throw an `errorClass` whose message has no line break; returns the message. */
export function oneLineErrorOf(f: () => unknown, errorClass: abstract new (...args: never[]) => Error = CompileError): string {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(errorClass);
    expect((e as Error).message).to.not.contain('\n');
    return (e as Error).message;
  }
  return expect.fail(`expected a ${errorClass.name}`);
}
