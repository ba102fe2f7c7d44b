// Assembles one generic kernel: a static function that declares its operands' views and calls a shared C
// routine (elementwise.ts, unary.ts, strided-copy.ts, reduce.ts) once per piece of work. Runtime operands
// become parameters (in the order the call site passes them, see Kernel.args); constants are read from the
// weight blob, so any operand of any op may be a constant.

import type { Node } from '../../../compiler/ir/types.ts';
import type { Kernel, KernelContext } from './context.ts';
import { indent, originComment, placementOf, WEIGHTS } from './context.ts';
import type { StridedView } from './strided-view.ts';
import { denseView, placementView } from './strided-view.ts';
import { viewDeclaration } from './view-source.ts';

export interface Operand {
  readonly view: StridedView;
  /** C expression of the base pointer inside the kernel function. */
  readonly pointer: string;
}

export class GenericKernel {
  private readonly params: { id: number; type: string; name: string }[] = [];
  private readonly decls: string[] = [];
  private readonly body: string[] = [];

  constructor(
    readonly ctx: KernelContext,
    readonly node: Node,
    private readonly fn: string,
  ) {}

  /** An input operand: a parameter for a runtime value, the weight blob for a constant. */
  input(id: number): Operand {
    const value = this.ctx.graph.values.get(id)!;
    if (value.data) {
      const data = value.data instanceof Float32Array ? value.data : Float32Array.from(value.data);
      return { view: denseView(value.type.shape, this.ctx.weights.add(data)), pointer: WEIGHTS(this.ctx.prefix) };
    }
    return { view: placementView(placementOf(this.ctx, id, this.node), value.type.shape), pointer: this.param(id, 'const float *', 'x') };
  }

  output(id: number): Operand {
    return { view: placementView(placementOf(this.ctx, id, this.node), this.ctx.graph.values.get(id)!.type.shape), pointer: this.param(id, 'float *', 'y') };
  }

  /** Declares `view` as a static descriptor and returns a pointer expression to it. */
  view(view: StridedView): string {
    const name = `v${this.decls.length}`;
    this.decls.push(viewDeclaration(this.ctx, name, view));
    return `&${name}`;
  }

  statement(line: string): void {
    this.body.push(line);
  }

  build(summary: string): Kernel {
    const params = this.params.length ? this.params.map((p) => `${p.type}${p.name}`).join(', ') : 'void';
    // A kernel with nothing to do (an empty tensor) still takes its buffers.
    const unused = this.body.length ? [] : this.params.map((p) => `(void)${p.name};`);
    const lines = [...this.decls, ...this.body, ...unused];
    return {
      definition: [originComment(this.node, summary), `static void ${this.fn}(${params}) {`, indent(lines.join('\n'), 1), `}`].join('\n'),
      args: this.params.map((p) => p.id),
    };
  }

  private param(id: number, type: string, stem: string): string {
    const existing = this.params.find((p) => p.id === id);
    if (existing) return existing.name;
    const name = `${stem}${this.params.filter((p) => p.type === type).length}`;
    this.params.push({ id, type, name });
    return name;
  }
}
