// C rendering of strided views (strided-view.ts): the view struct and its row cursor, emitted once per model,
// and `static const` view descriptors inside each generic kernel.

import { CompileError } from '../../../compiler/ir/errors.ts';
import type { KernelContext } from './context.ts';
import type { StridedView } from './strided-view.ts';

/** Most axes a view may have (rank 5 plus the axes gather and row splitting add). */
export const MAX_VIEW_RANK = 8;

const INT32_MAX = 2 ** 31 - 1;

/** Registers the view type and cursor (once) and returns the view type's name. */
export function viewType(ctx: KernelContext): string {
  const p = ctx.prefix;
  ctx.helper('view-runtime', () =>
    [
      `/* A strided view: element (i0, ..) lives at offset + sum over axes of (table[a] ? table[a][i_a] : i_a * stride[a]). */`,
      `/* The last axis is always strided: kernels walk it as a row. */`,
      `typedef struct {`,
      `  int32_t rank;`,
      `  int32_t offset;`,
      `  int32_t size[${MAX_VIEW_RANK}];`,
      `  int32_t stride[${MAX_VIEW_RANK}];`,
      `  const int32_t *table[${MAX_VIEW_RANK}];`,
      `} ${p}_op_view;`,
      '',
      `/* Where a walk over a view stands: the index of every axis but the last, and the offset of the row start. */`,
      `typedef struct {`,
      `  const ${p}_op_view *view;`,
      `  int32_t index[${MAX_VIEW_RANK}];`,
      `  int32_t at;`,
      `} ${p}_op_cursor;`,
      '',
      `static void ${p}_op_cursor_start(${p}_op_cursor *c, const ${p}_op_view *v) {`,
      `  int32_t a;`,
      `  c->view = v;`,
      `  c->at = v->offset;`,
      `  for (a = 0; a < v->rank; a++) {`,
      `    c->index[a] = 0;`,
      `    if (v->table[a]) c->at += v->table[a][0];`,
      `  }`,
      `}`,
      '',
      `/* Advances to the next row: an odometer over every axis but the last. */`,
      `static void ${p}_op_cursor_next_row(${p}_op_cursor *c) {`,
      `  const ${p}_op_view *v = c->view;`,
      `  int32_t a;`,
      `  for (a = v->rank - 2; a >= 0; a--) {`,
      `    const int32_t *t = v->table[a];`,
      `    const int32_t i = c->index[a];`,
      `    if (i + 1 < v->size[a]) {`,
      `      c->at += t ? t[i + 1] - t[i] : v->stride[a];`,
      `      c->index[a] = i + 1;`,
      `      return;`,
      `    }`,
      `    c->at -= t ? t[i] - t[0] : v->stride[a] * i;`,
      `    c->index[a] = 0;`,
      `  }`,
      `}`,
    ].join('\n'),
  );
  return `${p}_op_view`;
}

function checkInt32(value: number, what: string): number {
  if (!Number.isInteger(value) || Math.abs(value) > INT32_MAX) throw new CompileError(`C target: ${what} ${value} does not fit the generic kernels' 32-bit offsets`, { kind: 'unsupported' });
  return value;
}

/** `static const <view> name = {...};` for one view (rank 1..MAX_VIEW_RANK, last axis strided). */
export function viewDeclaration(ctx: KernelContext, name: string, view: StridedView): string {
  const type = viewType(ctx);
  const rank = view.axes.length;
  if (rank < 1 || rank > MAX_VIEW_RANK) throw new CompileError(`C target: an operand view of rank ${rank} is beyond the generic kernels (at most ${MAX_VIEW_RANK})`, { kind: 'unsupported' });
  if (view.axes[rank - 1].table) throw new CompileError('a view row must be strided', { kind: 'internal' });
  const pad = <T>(items: T[], fill: T): T[] => [...items, ...new Array<T>(MAX_VIEW_RANK - items.length).fill(fill)];
  const sizes = pad(view.axes.map((a) => checkInt32(a.size, 'size')), 0);
  const strides = pad(view.axes.map((a) => checkInt32(a.table ? 0 : a.stride, 'stride')), 0);
  const tables = pad(
    view.axes.map((a) => (a.table ? ctx.tables.table(a.table.map((t) => checkInt32(t, 'offset'))) : '0')),
    '0',
  );
  return `static const ${type} ${name} = { ${rank}, ${checkInt32(view.offset, 'offset')}, { ${sizes.join(', ')} }, { ${strides.join(', ')} }, { ${tables.join(', ')} } };`;
}

/**
 * The body of a routine that walks views in lockstep, one row at a time: for operand `x` it expects a
 * parameter `xv` (the view) and `x` (the base pointer), declares `xs` (its row stride) and hands `body` a
 * pointer `xp` to the current row (`float *` for outputs). `row` is the row length, `rows` a parameter.
 */
export function rowWalk(ctx: KernelContext, inputs: readonly string[], outputs: readonly string[], body: readonly string[]): string[] {
  const p = ctx.prefix;
  const all = [...inputs, ...outputs];
  const last = `${all[all.length - 1]}v`;
  return [
    `  const int32_t row = ${last}->size[${last}->rank - 1];`,
    `  const int32_t ${all.map((x) => `${x}s = ${x}v->stride[${x}v->rank - 1]`).join(', ')};`,
    `  ${p}_op_cursor ${all.map((x) => `${x}c`).join(', ')};`,
    `  int32_t r, k;`,
    ...all.map((x) => `  ${p}_op_cursor_start(&${x}c, ${x}v);`),
    `  for (r = 0; r < rows; r++) {`,
    ...inputs.map((x) => `    const float *${x}p = ${x} + ${x}c.at;`),
    ...outputs.map((x) => `    float *${x}p = ${x} + ${x}c.at;`),
    ...body.map((l) => `    ${l}`),
    ...all.map((x) => `    ${p}_op_cursor_next_row(&${x}c);`),
    `  }`,
  ];
}
