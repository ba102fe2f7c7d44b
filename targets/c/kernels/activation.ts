// The scalar C helpers of the activations: e^x (the emitted C links no libm), ONNX Clip, and one `static float`
// function per conv-epilogue activation (compiler/ir/types.ts Activation). The standalone unary kernel
// (unary.ts) and the conv epilogues (conv-epilogue.ts) both call these, so a fused conv and the unfused
// conv + activation pair compute each element with the same C expression and agree bit for bit.

import type { Activation } from '../../../compiler/ir/types.ts';
import type { KernelContext } from './context.ts';

/** `static float <prefix>_op_expf(float)`: range reduction to |r| <= ln2/2 and a degree-7 polynomial (relative error near 1e-7). */
export function expRoutine(ctx: KernelContext): string {
  const p = ctx.prefix;
  ctx.helper('expf', () =>
    [
      `/* e^x without libm: x = k ln2 + r with |r| <= ln2/2, e^r by its degree-7 Taylor polynomial (error < 1e-8), 2^k from the exponent bits. */`,
      `static float ${p}_op_expf(float x) {`,
      `  union { float f; uint32_t u; } scale;`,
      `  float r, e;`,
      `  int32_t k;`,
      `  if (x != x) return x;`,
      `  if (x > 88.0f) x = 88.0f;`,
      `  if (x < -87.0f) x = -87.0f;`,
      `  k = (int32_t)(x * 1.44269504f + (x < 0.0f ? -0.5f : 0.5f));`,
      `  r = (x - (float)k * 0.693145752f) - (float)k * 1.42860677e-6f;`,
      `  e = 1.0f + r * (1.0f + r * (0.5f + r * (1.66666667e-1f + r * (4.16666667e-2f + r * (8.33333333e-3f + r * (1.38888889e-3f + r * 1.98412698e-4f))))));`,
      `  scale.u = (uint32_t)(k + 127) << 23;`,
      `  return e * scale.f;`,
      `}`,
    ].join('\n'),
  );
  return `${p}_op_expf`;
}

/** `static float <prefix>_op_clip(v, lo, hi)`: ONNX Clip. */
export function clipRoutine(ctx: KernelContext): string {
  const name = `${ctx.prefix}_op_clip`;
  ctx.helper('clip', () =>
    [
      `/* ONNX Clip: min(max(v, lo), hi), so lo > hi gives hi; NaN stays NaN. */`,
      `static float ${name}(float v, float lo, float hi) {`,
      `  const float low = v < lo ? lo : v;`,
      `  return low > hi ? hi : low;`,
      `}`,
    ].join('\n'),
  );
  return name;
}

/** `static float <prefix>_op_clamp01(v)`: min(max(v, 0), 1). */
export function clamp01Routine(ctx: KernelContext): string {
  const name = `${ctx.prefix}_op_clamp01`;
  const clip = clipRoutine(ctx);
  ctx.helper('clamp01', () => [`static float ${name}(float v) {`, `  return ${clip}(v, 0.0f, 1.0f);`, `}`].join('\n'));
  return name;
}

/** The one C expression of each activation of `u` (read several times: pass an identifier). */
function activationExpr(ctx: KernelContext, activation: Exclude<Activation, 'none'>, u: string): string {
  switch (activation) {
    case 'relu':
      return `${u} < 0.0f ? 0.0f : ${u}`;
    case 'relu6':
      return `${clipRoutine(ctx)}(${u}, 0.0f, 6.0f)`;
    case 'sigmoid':
      return `1.0f / (1.0f + ${expRoutine(ctx)}(-${u}))`;
    case 'hardSigmoid':
      // 1.0f / 6.0f is ONNX HardSigmoid's alpha 1/6 as float: the standalone kernel's alpha * u + beta exactly.
      return `${clamp01Routine(ctx)}((1.0f / 6.0f) * ${u} + 0.5f)`;
    case 'hardSwish':
      return `${u} * ${clamp01Routine(ctx)}(${u} * (1.0f / 6.0f) + 0.5f)`;
  }
}

/** Name of `static float <prefix>_act_<activation>(float u)`, emitted once per model. */
export function activationRoutine(ctx: KernelContext, activation: Exclude<Activation, 'none'>): string {
  const name = `${ctx.prefix}_act_${activation}`;
  ctx.helper(`act_${activation}`, () => {
    const expr = activationExpr(ctx, activation, 'u');
    return [`static float ${name}(float u) {`, `  return ${expr};`, `}`].join('\n');
  });
  return name;
}
