// The pieces of `<name>.h` / `<name>.c` around the kernels: the thread-pool hook types, the task dispatcher the
// run function calls per layer, and the per-layer profiling contract (macros and the layer-name table).
//
// Threads without a runtime: the model never starts a thread. `<name>_run_parallel` hands each split layer to
// the caller's `parallel_for(pool, task, task_ctx, count)`, which must call task(task_ctx, i) once for every i
// in [0, count) (in any order, on any threads) and return when all calls have returned. The split of every
// layer is fixed at compile time, so results are bit-identical for any thread count, NULL included (serial).

import { cString, macroPrefix } from './names.ts';

/** Header block: the hook types, shared by every snv2c model in a program (hence the guard). */
export function parallelTypes(): string[] {
  return [
    '#ifndef SNV2C_PARALLEL_TYPES_',
    '#define SNV2C_PARALLEL_TYPES_',
    '/* A task of a split layer, and the hook that runs `count` of them: call task(task_ctx, i) for every i in',
    '   [0, count), in any order and on any threads, and return when all have returned. */',
    'typedef void (*snv2c_task)(void *task_ctx, int index);',
    'typedef void (*snv2c_parallel_for)(void *pool, snv2c_task task, void *task_ctx, int count);',
    '#endif',
  ];
}

/** Header comment and declarations of the profiling contract. */
export function profileDeclarations(name: string, layers: number): string[] {
  const macro = macroPrefix(name);
  return [
    `/* Per-layer profiling. Built with -DSNV2C_PROFILE, ${name}.c brackets each kernel call (or fused group) of`,
    `   ${name}_run* with SNV2C_PROFILE_BEGIN(index) and SNV2C_PROFILE_END(index), index in [0, ${macro}_LAYER_COUNT),`,
    `   on the calling thread (around the whole parallel_for of a split layer). Define both macros before the`,
    `   model is compiled (e.g. -include my_timer.h), or leave them undefined and provide the functions`,
    `   void ${name}_profile_begin(int index) and void ${name}_profile_end(int index). ${name}_layer_names[index]`,
    `   is the graph node the index stands for (escaped; fused groups join names with " + "). Without`,
    `   SNV2C_PROFILE the macros are empty and neither the table nor any timer is compiled in. */`,
    `#define ${macro}_LAYER_COUNT ${layers}`,
    '#ifdef SNV2C_PROFILE',
    `extern const char *const ${name}_layer_names[${macro}_LAYER_COUNT];`,
    '#endif',
  ];
}

/** `.c` block: the profiling macros (empty unless SNV2C_PROFILE) and the layer-name table. */
export function profileDefinitions(name: string, layerNames: readonly string[]): string[] {
  const macro = macroPrefix(name);
  return [
    '#ifdef SNV2C_PROFILE',
    '#ifndef SNV2C_PROFILE_BEGIN',
    `void ${name}_profile_begin(int index);`,
    `void ${name}_profile_end(int index);`,
    `#define SNV2C_PROFILE_BEGIN(index) ${name}_profile_begin(index)`,
    `#define SNV2C_PROFILE_END(index) ${name}_profile_end(index)`,
    '#endif',
    `const char *const ${name}_layer_names[${macro}_LAYER_COUNT] = {`,
    ...layerNames.map((n, i) => `  ${cString(n)}${i + 1 < layerNames.length ? ',' : ''}`),
    '};',
    '#else',
    '#undef SNV2C_PROFILE_BEGIN',
    '#undef SNV2C_PROFILE_END',
    '#define SNV2C_PROFILE_BEGIN(index) ((void)0)',
    '#define SNV2C_PROFILE_END(index) ((void)0)',
    '#endif',
  ];
}

/** The dispatcher every split layer goes through: serial without a hook, else one parallel_for. */
export function splitHelper(name: string): string {
  return [
    `/* A task kernel: x and y are its activation buffers, scratch the arena's scratch, task its part (-1: all). */`,
    `typedef void (*${name}_task_kernel)(const float *x, float *y, float *scratch, int task);`,
    `struct ${name}_job {`,
    `  ${name}_task_kernel kernel;`,
    `  const float *x;`,
    `  float *y;`,
    `  float *scratch;`,
    `};`,
    '',
    `static void ${name}_job_task(void *job, int task) {`,
    `  const struct ${name}_job *j = (const struct ${name}_job *)job;`,
    `  j->kernel(j->x, j->y, j->scratch, task);`,
    `}`,
    '',
    `/* Runs one layer: its tasks [0, tasks) through parallel_for when there is one, else the whole layer here. */`,
    `static void ${name}_split(snv2c_parallel_for parallel_for, void *pool, ${name}_task_kernel kernel, const float *x, float *y, float *scratch, int tasks) {`,
    `  if (parallel_for && tasks > 1) {`,
    `    struct ${name}_job job;`,
    `    job.kernel = kernel;`,
    `    job.x = x;`,
    `    job.y = y;`,
    `    job.scratch = scratch;`,
    `    parallel_for(pool, ${name}_job_task, &job, tasks);`,
    `  } else {`,
    `    kernel(x, y, scratch, -1);`,
    `  }`,
    `}`,
  ].join('\n');
}
