// The C main() of the native benchmark harness. Like runtime/native-harness.ts it serves inferences over pipes
// (the same transfer cost a Model user pays), but it also times `<name>_run` inside the process, so the model's
// own time is reported apart from the per-call overhead.
// Protocol per request: stdin <NAME>_INPUT_SIZE floats -> stdout <NAME>_OUTPUT_SIZE floats, then two doubles (wall
// ms of <name>_run alone, and the CPU ms the process spent in it: steadier than wall time on a loaded machine),
// then with `profileLayers` that many doubles (ms per profiled kernel of this run).

import { pooledArenaSetup, pthreadPoolPrototypes } from '../../runtime/native-pool.ts';
import { profileHooksSource } from '../profile/profile-hooks.ts';

export interface BenchMainOptions {
  /** Validated C identifier of the model. */
  readonly name: string;
  /** Instrumented build: the number of kernels the emitted SNV2C_PROFILE hooks report (0 or absent: none). */
  readonly profileLayers?: number;
  /** More than 1: `<name>_run_parallel` on a `<name>_pool_create(threads)` pool (native-build adds the pool). */
  readonly threads?: number;
}

export function benchMainSource(opts: BenchMainOptions): string {
  const { name } = opts;
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a C identifier: ${JSON.stringify(name)}`);
  const macro = name.toUpperCase();
  const layers = opts.profileLayers ?? 0;
  const threads = opts.threads ?? 1;
  const pooled = threads > 1;
  const run = pooled ? `${name}_run_parallel(input_buf, output_buf, arena, ${name}_pool_parallel_for, pool)` : `${name}_run(input_buf, output_buf)`;
  return `/* snv2c bench harness for ${name}: stdin floats in, stdout floats and timings out${pooled ? `, ${threads} threads` : ''}. */
#define _POSIX_C_SOURCE 199309L
${pooled ? '#include <stdint.h>\n#include <stdlib.h>\n' : ''}#include <stdio.h>
#include <time.h>
#include "${name}.h"
${pooled ? `\n${pthreadPoolPrototypes(name).join('\n')}\n` : ''}
static float input_buf[${macro}_INPUT_SIZE];
static float output_buf[${macro}_OUTPUT_SIZE];

static double clock_ms(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double now_ms(void) { return clock_ms(CLOCK_MONOTONIC); }
${layers ? profileHooksSource(name, layers, 'now_ms()') : ''}
int main(void) {
${pooled ? pooledArenaSetup(name, threads, 'return 5;').map((l) => `  ${l}\n`).join('') : ''}  for (;;) {
    double start, cpu_start, times[2];
    size_t got = fread(input_buf, sizeof(float), ${macro}_INPUT_SIZE, stdin);
    if (got == 0 && feof(stdin)) return 0;
    if (got != ${macro}_INPUT_SIZE) return 2;${layers ? `\n    ${name}_profile_reset();` : ''}
    start = now_ms();
    cpu_start = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
    if (${run} != 0) return 3;
    times[0] = now_ms() - start;
    times[1] = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
    if (fwrite(output_buf, sizeof(float), ${macro}_OUTPUT_SIZE, stdout) != ${macro}_OUTPUT_SIZE) return 4;
    if (fwrite(times, sizeof(double), 2, stdout) != 2) return 4;${layers ? `\n    if (fwrite(layer_ms, sizeof(double), ${layers}, stdout) != ${layers}) return 4;` : ''}
    if (fflush(stdout) != 0) return 4;
  }
}
`;
}
