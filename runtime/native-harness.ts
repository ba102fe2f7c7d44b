// The C main() of the native harness: it links with an emitted model and serves inferences over pipes.
// Protocol: read <NAME>_INPUT_SIZE little-endian floats from stdin (all inputs, one after another), write
// <NAME>_OUTPUT_SIZE floats to stdout (all outputs), flush, repeat until stdin closes. Where a size is 0 (no
// inputs, only empty outputs) one dummy float stands in, so every request and answer is visible on the pipe.
// (stdio lives here, in the harness, never in the emitted model.)

import { pooledArenaSetup, pthreadPoolPrototypes } from './native-pool.ts';

/**
 * The harness source for a model whose files are `<name>.h/.c`; `name` must be the validated C identifier. With
 * `threads` > 1 it runs `<name>_run_parallel` on a `<name>_pool_create(threads)` pool (`<name>_pthreads.c`).
 */
export function harnessSource(name: string, threads = 1): string {
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a C identifier: ${JSON.stringify(name)}`);
  const macro = name.toUpperCase();
  const pooled = threads > 1;
  return `/* snv2c native harness for ${name}: stdin floats in, stdout floats out${pooled ? `, ${threads} threads` : ''}. */
${pooled ? '#include <stdint.h>\n#include <stdlib.h>\n' : ''}#include <stdio.h>
#include "${name}.h"
${pooled ? `\n${pthreadPoolPrototypes(name).join('\n')}\n` : ''}
/* A dummy float stands for an empty request or answer (and no array has size 0). */
#define REQUEST_FLOATS (${macro}_INPUT_SIZE > 0 ? ${macro}_INPUT_SIZE : 1)
#define ANSWER_FLOATS (${macro}_OUTPUT_SIZE > 0 ? ${macro}_OUTPUT_SIZE : 1)
static float input_buf[${macro}_INPUT_SIZE + 1];
static float output_buf[${macro}_OUTPUT_SIZE + 1];

int main(void) {
${pooled ? pooledArenaSetup(name, threads, `{ fprintf(stderr, "snv2c harness: cannot start ${threads} threads\\n"); return 5; }`).map((l) => `  ${l}\n`).join('') : ''}  for (;;) {
    size_t got = fread(input_buf, sizeof(float), REQUEST_FLOATS, stdin);
    if (got == 0 && feof(stdin)) return 0;
    if (got != REQUEST_FLOATS) {
      fprintf(stderr, "snv2c harness: short input (%lu of %lu floats)\\n", (unsigned long)got, (unsigned long)REQUEST_FLOATS);
      return 2;
    }
    if (${pooled ? `${name}_run_parallel(input_buf, output_buf, arena, ${name}_pool_parallel_for, pool)` : `${name}_run(input_buf, output_buf)`} != 0) {
      fprintf(stderr, "snv2c harness: ${name}_run failed\\n");
      return 3;
    }
    if (fwrite(output_buf, sizeof(float), ANSWER_FLOATS, stdout) != ANSWER_FLOATS || fflush(stdout) != 0) return 4;
  }
}
`;
}
