// The compiler-pass flags shared by every command that compiles (`compile`, `analyze`, `run`):
// --disable-pass, --dump-after and --time-passes, turned into the library's pass options. IR dumps and timings go
// to stderr so they never mix with generated output, tensors or --json on stdout.

import type { Argv } from 'yargs';
import type { PassOptions } from '../api/compile.ts';
import { PASS_NAMES } from '../compiler/pipeline.ts';

export interface PassArgs {
  'disable-pass'?: string[];
  'dump-after'?: string[];
  'time-passes'?: boolean;
}

export function withPassOptions<T>(y: Argv<T>) {
  const names = PASS_NAMES.join(', ');
  return y
    .option('disable-pass', { type: 'string', array: true, describe: `skip a compiler pass (repeatable): ${names}` })
    .option('dump-after', { type: 'string', array: true, describe: 'print the IR to stderr after a pass (repeatable), or "all"' })
    .option('time-passes', { type: 'boolean', describe: 'print the time each pass took to stderr' });
}

/** Splits "a,b" as well as repeated flags, so both spellings work. */
const names = (list?: string[]): string[] => (list ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);

/** The pass flags as the library takes them (dumps, timings and warnings go to stderr by default). */
export function passOptions(args: PassArgs): PassOptions {
  const dump = names(args['dump-after']);
  return {
    disable: names(args['disable-pass']),
    dumpAfter: dump.includes('all') ? 'all' : dump,
    timePasses: args['time-passes'] ?? false,
  };
}
