// `snv2c compile <model> --target c|neon|wasm -o <dir> [--name model]`: runs the pass pipeline and the memory
// plan, lets the target emit its artifacts, and writes them all or nothing (a temp folder renamed into place).

import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { CompileError } from '../../compiler/ir/errors.ts';
import { runPipeline } from '../../compiler/pipeline.ts';
import { planMemory } from '../../compiler/plan/plan-memory.ts';
import type { Artifact } from '../../compiler/target.ts';
import { validateModelName } from '../../targets/c/names.ts';
import { loadModel } from '../load-model.ts';
import { loadOptions, withModelOptions, type ModelArgs } from '../options.ts';
import { pipelineOptions, withPassOptions, type PassArgs } from '../pass-options.ts';
import { loadTarget, targetNames } from '../targets.ts';

interface CompileArgs extends ModelArgs, PassArgs {
  target: string;
  output: string;
  name: string;
}

const warn = (line: string) => process.stderr.write(`warning: ${line}\n`);

/** Writes every artifact under a fresh sibling folder, then moves it (or its entries) into `dir`. */
export function writeArtifactsAtomically(dir: string, artifacts: readonly Artifact[]): void {
  const target = resolve(dir);
  const staging = join(dirname(target), `.${basename(target)}.snv2c-tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const a of artifacts) {
      if (a.path.split(/[\\/]/).some((part) => part === '..' || part === '') || a.path.startsWith('/')) throw new CompileError(`internal: artifact path ${JSON.stringify(a.path)} escapes the output folder`);
      const file = join(staging, a.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, a.contents);
    }
    if (!existsSync(target)) {
      mkdirSync(dirname(target), { recursive: true });
      renameSync(staging, target);
      return;
    }
    for (const top of new Set(artifacts.map((a) => a.path.split(/[\\/]/)[0]))) {
      rmSync(join(target, top), { recursive: true, force: true });
      renameSync(join(staging, top), join(target, top));
    }
  } catch (e) {
    if (e instanceof CompileError) throw e;
    throw new CompileError(`cannot write the output: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: dir });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export const compileCommand: CommandModule<object, CompileArgs> = {
  command: 'compile <model>',
  describe: 'compile a model to C (c, neon), WebAssembly (wasm) or WebGPU shaders (wgsl) in an output folder',
  builder: (y) =>
    withPassOptions(withModelOptions(y))
      .option('target', { type: 'string', demandOption: true, describe: `what to emit: ${targetNames().join(' | ')}` })
      .option('output', { alias: 'o', type: 'string', demandOption: true, describe: 'output folder (created; files in it are replaced)' })
      .option('name', { type: 'string', default: 'model', describe: 'model name: a C identifier that prefixes every symbol and file' }) as never,
  handler: async (args) => {
    const start = performance.now();
    const name = validateModelName(args.name);
    const target = await loadTarget(args.target);
    const imported = await loadModel(args.model, { ...loadOptions(args), warn });
    const compiled = runPipeline(imported, { ...pipelineOptions(args), extraPasses: target.passes });
    const plan = planMemory(compiled);
    const artifacts = target.emit(compiled, plan, { name });
    writeArtifactsAtomically(args.output, artifacts);
    const bytes = artifacts.reduce((s, a) => s + (typeof a.contents === 'string' ? Buffer.byteLength(a.contents) : a.contents.byteLength), 0);
    process.stderr.write(
      `compiled ${basename(args.model)} for ${target.name}: ${artifacts.length} files, ${bytes} bytes, arena ${plan.arenaFloats * 4} bytes, in ${((performance.now() - start) / 1000).toFixed(2)} s -> ${args.output}\n`,
    );
  },
};
