// `snv2c run <model> --target T --input x.npy|photo.jpg [--output y.npy]`: run a model on one input with a
// target. A PNG or JPEG input is preprocessed as torchvision's ImageNet weights expect. Without --output, prints
// the top classes of each batch row (named for 1000-class models or with --labels; --json for machines).

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
  input: string;
  output?: string;
  top: number;
  labels?: string;
  json: boolean;
  threads: number;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <model>',
  describe: 'run a model on a picture (.png, .jpg) or an input tensor (.npy, raw .f32)',
  builder: (y) =>
    withPassOptions(withModelOptions(y))
      .option('target', { type: 'string', default: 'reference', describe: 'what executes the model (the compiler passes apply to every target but reference, which runs the imported graph)' })
      .option('input', { type: 'string', demandOption: true, describe: 'a PNG/JPEG picture (resized to 256, centre-cropped, ImageNet-normalised as torchvision does), or an input tensor: .npy (float32) or raw little-endian .f32 with --input-shape' })
      .option('output', { type: 'string', describe: 'output tensor file (.npy or .f32); without it the top classes are printed' })
      .option('top', { type: 'number', default: 5, describe: 'how many classes to print per batch row without --output' })
      .option('labels', { type: 'string', describe: 'class names, one per line in class order (default: ImageNet names for 1000-class models)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the top classes as JSON' })
      .option('threads', { type: 'number', default: 1, describe: 'threads per inference for --target c (a POSIX pool; results identical for any count)' }) as never,
  handler: async (args) => {
    // Cheap checks first, so a typo fails before the model is compiled.
    if (args.output !== undefined) tensorFormat(args.output);
    const runner = await loadRunner(args.target);
    const requested = args['input-shape'] !== undefined ? parseShape(args['input-shape']) : undefined;
    const { graph, input } = isImageFile(args.input) ? await loadForImage(args, requested) : await loadForTensor(args, requested);
    const outputs = await runner.run({ graph, inputs: [input.data], model: args.model, passes: passOptions(args), warn: warnLine, threads: args.threads });
    const shape = graph.values.get(graph.outputs[0])!.type.shape;
    const result: HostTensor = { shape, data: outputs[0] };
    if (args.output !== undefined) return writeTensorFile(args.output, result);
    const classes = shape[shape.length - 1];
    const labels = args.labels !== undefined ? readLabels(args.labels, classes) : defaultLabels(classes);
    process.stdout.write((args.json ? formatTopClassesJson : formatTopClasses)(result, args.top, labels));
  },
};

/** A picture takes the model's own input size (or --input-shape's); it is decoded first, as the cheaper check. */
async function loadForImage(args: RunArgs, requested: readonly number[] | undefined): Promise<{ graph: Graph; input: HostTensor }> {
  const image = readImage(args.input);
  const graph = await loadGraph(args.model, loadOptions(args, requested));
  if (graph.inputs.length !== 1) throw new CompileError(`the model takes ${graph.inputs.length} inputs; run feeds exactly one`, { kind: 'unsupported' });
  const shape = graph.values.get(graph.inputs[0])!.type.shape;
  return { graph, input: { shape, data: imageTensor(image, shape, args.input) } };
}

async function loadForTensor(args: RunArgs, requested: readonly number[] | undefined): Promise<{ graph: Graph; input: HostTensor }> {
  const input = readTensorFile(args.input, requested);
  const graph = await loadForInput(args, requested, input);
  checkInput(graph, input, args.input);
  return { graph, input };
}

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
