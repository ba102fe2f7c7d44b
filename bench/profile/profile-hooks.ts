// The C side of an instrumented build: the functions the emitted SNV2C_PROFILE_BEGIN/END(slot) hooks call
// (targets/c/emit-model.ts), accumulating per-kernel ms of the current run in a static array. Shared by the native
// benchmark harness (clock_gettime) and the wasm build (a clock imported from JavaScript).

/** `clock` is a C expression giving the time in ms as a double. */
export function profileHooksSource(name: string, layers: number, clock: string): string {
  return `
static double layer_ms[${layers}];
static double layer_start;
double *${name}_profile_layer_ms(void);
void ${name}_profile_reset(void);
void ${name}_profile_begin(int slot);
void ${name}_profile_end(int slot);

double *${name}_profile_layer_ms(void) { return layer_ms; }

void ${name}_profile_reset(void) {
  int i;
  for (i = 0; i < ${layers}; i++) layer_ms[i] = 0.0;
}

void ${name}_profile_begin(int slot) {
  (void)slot;
  layer_start = ${clock};
}

void ${name}_profile_end(int slot) {
  if (slot >= 0 && slot < ${layers}) layer_ms[slot] += ${clock} - layer_start;
}
`;
}
