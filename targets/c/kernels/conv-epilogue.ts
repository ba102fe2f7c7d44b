// Conv epilogues beyond ReLU in the C kernels: relu6, sigmoid, hardSigmoid, hardSwish and the residual add
// (y = activation(conv(x) + b) + r, compiler/ir/types.ts). ReLU stays inside the conv loops (the vector tiles
// clamp their accumulators); every other epilogue runs in the same task kernel right after the conv body has
// written the task's own outputs, as one pass over that range while it is still in cache: a call per output
// plane of a shared routine per (activation, residual), which applies the activation helper (activation.ts, the
// standalone unary kernel's formula) and then adds r. Each output is finished by the task that wrote it, so
// results do not depend on the thread count.

import { CompileError } from '../../../compiler/ir/errors.ts';
import type { Activation, Node, OpOf } from '../../../compiler/ir/types.ts';
import type { Placement } from '../../../compiler/plan/types.ts';
import { placementAddressing } from '../operands.ts';
import { activationRoutine } from './activation.ts';
import type { KernelContext } from './context.ts';
import { placementOf } from './context.ts';
import type { PixelSplit, RowSplit } from './tile-loops.ts';

/** The activation the conv loops apply themselves: ReLU, the one their tiles clamp to. */
export const loopRelu = (op: OpOf<'conv2d'>): boolean => op.activation === 'relu';

/** What the epilogue pass applies after the conv body: any activation but ReLU, and the residual. */
function epilogueOf(op: OpOf<'conv2d'>): { activation: Exclude<Activation, 'none' | 'relu'> | undefined; residual: boolean } {
  const activation = op.activation === 'none' || op.activation === 'relu' ? undefined : op.activation;
  return { activation, residual: op.residual === true };
}

/** Kernel summaries name the epilogue: " relu", " sigmoid + residual", "" for none. */
export function epilogueSummary(op: OpOf<'conv2d'>): string {
  const parts = [...(op.activation !== 'none' ? [op.activation] : []), ...(op.residual ? ['residual'] : [])];
  return parts.length ? ' ' + parts.join(' + ') : '';
}

/** Name of `static void <prefix>_epilogue_<...>(float *y, const float *r, int32_t n)` over n contiguous floats. */
function epilogueRoutine(ctx: KernelContext, activation: Exclude<Activation, 'none' | 'relu'> | undefined, residual: boolean): string {
  const name = `${ctx.prefix}_epilogue_${activation ?? 'none'}${residual ? '_residual' : ''}`;
  const act = activation ? activationRoutine(ctx, activation) : undefined;
  ctx.helper(name, () => {
    const value = act ? `${act}(y[i])` : 'y[i]';
    return [
      `/* A conv epilogue over n outputs: y = ${activation ?? 'y'}${activation ? '(y)' : ''}${residual ? ' + r' : ''}. */`,
      `static void ${name}(float *y, const float *r, int32_t n) {`,
      `  int32_t i;`,
      ...(residual ? [] : [`  (void)r;`]),
      `  for (i = 0; i < n; i++) y[i] = ${value}${residual ? ' + r[i]' : ''};`,
      `}`,
    ].join('\n');
  });
  return name;
}

/** The outputs one task wrote: output channels [c0, c1) x pixels [p0, p1) of every plane (C expressions). */
export interface EpilogueSpan {
  readonly channels: readonly [string, string];
  readonly pixels: readonly [string, string];
}

/** The outputs of a tiled layer's task (tile-loops.ts tileSplit): its row blocks or pixel tiles, the last task's remainder included. */
export function tileSpan(outChannels: number, pixels: number, split?: RowSplit | PixelSplit): EpilogueSpan {
  if (split && 'm0' in split) return { channels: [split.m0, `((${split.remainder ?? '0'}) ? ${outChannels} : ${split.m1})`], pixels: ['0', String(pixels)] };
  if (split) return { channels: ['0', String(outChannels)], pixels: [split.p0, `((${split.tail}) ? ${pixels} : ${split.p1})`] };
  return { channels: ['0', String(outChannels)], pixels: ['0', String(pixels)] };
}

/** The placement of a fused residual: the memory plan keeps it in the arena (see residualInCallerBuffers). */
function residualPlacement(ctx: KernelContext, node: Node): Placement {
  const r = node.inputs[3];
  const p = placementOf(ctx, r, node);
  if (p.buffer !== 'arena') throw new CompileError(`C target: a fused residual must live in the arena, not the ${p.buffer} buffer`, { node: node.origin, kind: 'internal' });
  return p;
}

/**
 * The epilogue of `node` over `span`, as C statements for the end of its task kernel (none when the conv
 * loops did everything). `item`: the C index of the batch item whose planes `y` points at (the kernel's batch
 * loop moves y); without it `y` is the output buffer and the statements loop over the whole batch.
 */
export function convEpilogue(ctx: KernelContext, node: Node, span: EpilogueSpan, batch: number, item?: string): string[] {
  const op = node.op as OpOf<'conv2d'>;
  const { activation, residual } = epilogueOf(op);
  if (!activation && !residual) return [];
  const routine = epilogueRoutine(ctx, activation, residual);
  const output = placementAddressing(placementOf(ctx, node.outputs[0], node), ctx.tables);
  const [c0, c1] = span.channels;
  const [p0, p1] = span.pixels;
  const n = item ?? (batch > 1 ? 'en' : undefined);
  const shift = (stride: number) => (n && n !== '0' ? `${n} * ${stride} + ` : '');
  const from = p0 === '0' ? '' : ` + ${p0}`;
  const yAt = `y + ${item === undefined ? shift(output.batchStride) : ''}${output.at('ec')}${from}`;
  const lines: string[] = [];
  let rAt = '0';
  if (residual) {
    // Task kernels receive x and y only; the residual sits in the arena, which ends where `scratch` starts.
    const r = placementAddressing(residualPlacement(ctx, node), ctx.tables);
    lines.push(`const float *arena = scratch - ${ctx.plan.arenaFloats};`);
    rAt = `arena + ${shift(r.batchStride)}${r.at('ec')}${from}`;
  }
  const call = `${routine}(${yAt}, ${rAt}, ${p0 === '0' ? p1 : `${p1} - (${p0})`});`;
  const channelLoop = `for (ec = ${c0}; ec < ${c1}; ec++) ${call}`;
  if (item === undefined && batch > 1) lines.push(`int en, ec;`, `for (en = 0; en < ${batch}; en++)`, `  ${channelLoop}`);
  else lines.push(`int ec;`, channelLoop);
  return [`{ /* epilogue:${epilogueSummary({ ...op, activation: activation ?? 'none' })} */`, ...lines.map((l) => '  ' + l), `}`];
}
