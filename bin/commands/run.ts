// `snv2c run <model> --target T --input x.npy|photo.jpg [--output y.npy]`: run a model on one input with a
// target. A PNG or JPEG input is preprocessed as torchvision's ImageNet weights expect. A model with several
// inputs (outputs) takes --input (--output) once per tensor, in graph order. Without --output, prints the top
// classes of each batch row of every output (named for 1000-class models or with --labels; --json for machines).

import type { CommandModule } from 'yargs';
import { CompileError } from '../../compiler/ir/errors.ts';
import type { Graph } from '../../compiler/ir/types.ts';
import { numel } from '../../compiler/ir/types.ts';
import { loadGraph } from '../../api/model-source.ts';
import { loadRunner } from '../../api/runners.ts';
import { loadOptions, parseShape, withModelOptions, type ModelArgs } from '../options.ts';
import { passOptions, withPassOptions, type PassArgs } from '../pass-options.ts';
import { warnLine } from '../warnings.ts';
import { defaultLabels, readLabels } from '../../api/image/class-labels.ts';
import { imageTensor, isImageFile, readImage } from '../../api/image/image-input.ts';
import { formatTopClasses, formatTopClassesJson } from '../format-classes.ts';
import { readTensorFile, tensorFormat, writeTensorFile, type HostTensor } from '../tensor-files.ts';

interface RunArgs extends ModelArgs, PassArgs {
  target: string;
  /** One path, or one per graph input when the option is repeated (likewise --output). */
  input: string | string[];
  output?: string | string[];
  top: number;
  labels?: string;
  json: boolean;
  threads: number;
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <model>',
  describe: 'run a model on a picture (.png, .jpg) or an input tensor (.npy, raw .f32)',
  builder: (y) =>
    withPassOptions(withModelOptions(y))
      .option('target', { type: 'string', default: 'reference', describe: 'what executes the model (the compiler passes apply to every target but reference, which runs the imported graph)' })
      .option('input', { type: 'string', demandOption: true, describe: 'a PNG/JPEG picture (resized to 256, centre-cropped, ImageNet-normalised as torchvision does), or an input tensor: .npy (float32) or raw little-endian .f32 with --input-shape; repeat once per graph input' })
      .option('output', { type: 'string', describe: 'output tensor file (.npy or .f32), repeated once per graph output; without it the top classes are printed' })
      .option('top', { type: 'number', default: 5, describe: 'how many classes to print per batch row without --output' })
      .option('labels', { type: 'string', describe: 'class names, one per line in class order (default: ImageNet names for 1000-class models)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the top classes as JSON' })
      .option('threads', { type: 'number', default: 1, describe: 'threads per inference for --target c (a POSIX pool; results identical for any count)' }) as never,
  handler: async (args) => {
    const inputPaths = list(args.input);
    const outputPaths = list(args.output);
    // Cheap checks first, so a typo fails before the model is compiled.
    for (const path of outputPaths) tensorFormat(path);
    const runner = await loadRunner(args.target);
    const requested = args['input-shape'] !== undefined ? parseShape(args['input-shape']) : undefined;
    const { graph, inputs } =
      inputPaths.length === 1 && isImageFile(inputPaths[0]) ? await loadForImage(args, inputPaths[0], requested) : await loadForTensors(args, inputPaths, requested);
    checkCounts(graph, inputs.length, outputPaths.length);
    const outputs = await runner.run({ graph, inputs: inputs.map((t) => t.data), model: args.model, passes: passOptions(args), warn: warnLine, threads: args.threads });
    const results: HostTensor[] = graph.outputs.map((id, i) => ({ shape: graph.values.get(id)!.type.shape, data: outputs[i] }));
    if (outputPaths.length) return results.forEach((result, i) => writeTensorFile(outputPaths[i], result));
    for (const [i, result] of results.entries()) {
      const classes = result.shape[result.shape.length - 1];
      const labels = args.labels !== undefined ? readLabels(args.labels, classes) : defaultLabels(classes);
      if (results.length > 1 && !args.json) process.stdout.write(`output ${i}:\n`);
      process.stdout.write((args.json ? formatTopClassesJson : formatTopClasses)(result, args.top, labels));
    }
  },
};

/** A picture takes the model's own input size (or --input-shape's); it is decoded first, as the cheaper check. */
async function loadForImage(args: RunArgs, path: string, requested: readonly number[] | undefined): Promise<{ graph: Graph; inputs: HostTensor[] }> {
  const image = readImage(path);
  const graph = await loadGraph(args.model, loadOptions(args, requested));
  checkCounts(graph, 1, 0);
  const shape = graph.values.get(graph.inputs[0])!.type.shape;
  return { graph, inputs: [{ shape, data: imageTensor(image, shape, path) }] };
}

/**
 * A single tensor fixes a dynamic batch (models with several inputs take the shapes they declare); later raw
 * .f32 inputs take the shape the model declares for them.
 */
async function loadForTensors(args: RunArgs, paths: readonly string[], requested: readonly number[] | undefined): Promise<{ graph: Graph; inputs: HostTensor[] }> {
  const first = readTensorFile(paths[0], requested);
  const graph = paths.length === 1 ? await loadForInput(args, paths[0], requested, first) : await loadGraph(args.model, loadOptions(args, requested));
  checkCounts(graph, paths.length, 0);
  const shapeOf = (i: number) => graph.values.get(graph.inputs[i])!.type.shape;
  const inputs = [first, ...paths.slice(1).map((path, i) => readTensorFile(path, /\.f32$/i.test(path) ? shapeOf(i + 1) : undefined))];
  inputs.forEach((input, i) => checkInput(graph, i, input, paths[i]));
  return { graph, inputs };
}

/**
 * The input's own shape fixes a dynamic batch axis when no --input-shape is given. If the model refuses that
 * shape, the input file is what is wrong: report it against the shape the model declares.
 */
async function loadForInput(args: RunArgs, path: string, requested: readonly number[] | undefined, input: HostTensor): Promise<Graph> {
  try {
    return await loadGraph(args.model, loadOptions(args, requested ?? input.shape));
  } catch (e) {
    if (requested || !(e instanceof CompileError)) throw e;
    const declared = await loadGraph(args.model, loadOptions(args)).catch(() => undefined);
    if (declared) {
      checkCounts(declared, 1, 0);
      checkInput(declared, 0, input, path);
    }
    throw e;
  }
}

function checkCounts(graph: Graph, inputs: number, outputs: number): void {
  if (graph.outputs.length < 1) throw new CompileError('the model has no outputs');
  if (inputs !== graph.inputs.length) {
    throw new CompileError(`the model takes ${graph.inputs.length} input(s); give --input once per input (got ${inputs})`, { kind: 'invalid-input' });
  }
  if (outputs > 0 && outputs !== graph.outputs.length) {
    throw new CompileError(`the model has ${graph.outputs.length} output(s); give --output once per output (got ${outputs})`, { kind: 'invalid-input' });
  }
}

function checkInput(graph: Graph, index: number, input: HostTensor, file: string): void {
  const expected = graph.values.get(graph.inputs[index])!.type.shape;
  if (expected.join('x') !== input.shape.join('x') || numel(expected) !== input.data.length) {
    throw new CompileError(`holds shape [${input.shape.join(',')}] but the model expects [${expected.join(',')}]`, { file, kind: 'invalid-input' });
  }
}
