// `snv2c run <model> --target T --input x.npy [--output y.npy]`: run a model on one input with a target.
// Without --output, prints the top classes of each batch row.

import type { CommandModule } from 'yargs';
import { CompileError } from '../../compiler/ir/errors.ts';
import type { Graph } from '../../compiler/ir/types.ts';
import { numel } from '../../compiler/ir/types.ts';
import { loadGraph } from '../../api/model-source.ts';
import { loadRunner } from '../../api/runners.ts';
import { loadOptions, parseShape, withModelOptions, type ModelArgs } from '../options.ts';
import { passOptions, withPassOptions, type PassArgs } from '../pass-options.ts';
import { readTensorFile, tensorFormat, writeTensorFile, type HostTensor } from '../tensor-files.ts';

interface RunArgs extends ModelArgs, PassArgs {
  target: string;
  input: string;
  output?: string;
  top: number;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <model>',
  describe: 'run a model on an input tensor (.npy or raw .f32)',
  builder: (y) =>
    withPassOptions(withModelOptions(y))
      .option('target', { type: 'string', default: 'reference', describe: 'what executes the model (the compiler passes apply to every target but reference, which runs the imported graph)' })
      .option('input', { type: 'string', demandOption: true, describe: 'input tensor: .npy (float32) or raw little-endian .f32 with --input-shape' })
      .option('output', { type: 'string', describe: 'output tensor file (.npy or .f32); without it the top classes are printed' })
      .option('top', { type: 'number', default: 5, describe: 'how many classes to print per batch row without --output' }) as never,
  handler: async (args) => {
    // Cheap checks first, so a typo fails before the model is compiled.
    if (args.output !== undefined) tensorFormat(args.output);
    const runner = await loadRunner(args.target);
    const requested = args['input-shape'] !== undefined ? parseShape(args['input-shape']) : undefined;
    const input = readTensorFile(args.input, requested);
    const graph = await loadForInput(args, requested, input);
    checkInput(graph, input, args.input);
    const outputs = await runner.run({ graph, inputs: [input.data], model: args.model, passes: passOptions(args) });
    const shape = graph.values.get(graph.outputs[0])!.type.shape;
    const result: HostTensor = { shape, data: outputs[0] };
    if (args.output !== undefined) writeTensorFile(args.output, result);
    else process.stdout.write(formatTopClasses(result, args.top));
  },
};

/**
 * The input's own shape fixes a dynamic batch axis when no --input-shape is given. If the model refuses that
 * shape, the input file is what is wrong: report it against the shape the model declares.
 */
async function loadForInput(args: RunArgs, requested: readonly number[] | undefined, input: HostTensor): Promise<Graph> {
  try {
    return await loadGraph(args.model, loadOptions(args, requested ?? input.shape));
  } catch (e) {
    if (requested || !(e instanceof CompileError)) throw e;
    const declared = await loadGraph(args.model, loadOptions(args)).catch(() => undefined);
    if (declared) checkInput(declared, input, args.input);
    throw e;
  }
}

function checkInput(graph: Graph, input: HostTensor, file: string): void {
  if (graph.inputs.length !== 1) throw new CompileError(`the model takes ${graph.inputs.length} inputs; run feeds exactly one`, { kind: 'unsupported' });
  if (graph.outputs.length < 1) throw new CompileError('the model has no outputs');
  const expected = graph.values.get(graph.inputs[0])!.type.shape;
  if (expected.join('x') !== input.shape.join('x') || numel(expected) !== input.data.length) {
    throw new CompileError(`holds shape [${input.shape.join(',')}] but the model expects [${expected.join(',')}]`, { file, kind: 'invalid-input' });
  }
}

/** "row 0: 281 (9.1234), 282 (8.0012), ..." for each batch row of a [N, classes...] output. */
export function formatTopClasses(t: HostTensor, top: number): string {
  const rows = t.shape.length > 1 ? t.shape[0] : 1;
  const width = t.data.length / Math.max(rows, 1);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row = t.data.subarray(r * width, (r + 1) * width);
    const order = Array.from(row.keys()).sort((a, b) => row[b] - row[a] || a - b);
    lines.push(`row ${r}: ` + order.slice(0, Math.max(1, top)).map((c) => `${c} (${row[c].toFixed(4)})`).join(', '));
  }
  return lines.join('\n') + '\n';
}
