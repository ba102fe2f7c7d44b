// What `snv2c run` (and verify, bench, the tests) can execute a model with, by name: the reference interpreter,
// or any compile target, instantiated through the module it emits. Entries load lazily, so starting the CLI
// never pulls in a toolchain it does not use.

import { runGraph } from '../compiler/interpreter/run-graph.ts';
import type { Graph } from '../compiler/ir/types.ts';
import { compileGraph, type PassOptions } from './compile.ts';
import { lazyRegistry } from './lazy-registry.ts';
import { loadCompiled } from './load-compiled.ts';
import { targetUnavailable } from './target-unavailable.ts';
import { TARGET_DESCRIPTIONS } from './targets.ts';

export interface RunRequest {
  /** The imported graph (the reference interpreter runs it as is; targets compile it). */
  readonly graph: Graph;
  /** One flat float32 buffer per graph input, in graph.inputs order, shaped as the graph says. */
  readonly inputs: readonly Float32Array[];
  /** The model argument as given (for messages). */
  readonly model: string;
  /** Threads per inference for targets that run natively (c): more than 1 uses the model's thread pool. */
  readonly threads?: number;
  /** Pass flags for targets that compile. */
  readonly passes?: PassOptions;
  readonly log?: (line: string) => void;
  readonly warn?: (line: string) => void;
}

export interface Runner {
  /** One flat float32 buffer per graph output. */
  run(request: RunRequest): Promise<Float32Array[]>;
}

const referenceRunner: Runner = { run: async ({ graph, inputs }) => runGraph(graph, inputs) };

function compiledRunner(target: string): Runner {
  return {
    run: async ({ graph, inputs, passes, log, warn, threads }) => {
      const result = await compileGraph(graph, { target, passes, log, warn });
      const model = await loadCompiled(result, threads !== undefined && threads > 1 ? { threads } : {}).catch((e: unknown) => {
        throw targetUnavailable(target, e);
      });
      try {
        return model.runAll ? await model.runAll(inputs) : [await model.run(inputs[0])];
      } finally {
        model.dispose();
      }
    },
  };
}

const RUNNERS = lazyRegistry<Runner>({
  reference: { description: 'the reference interpreter (plain TypeScript, fp32)', load: async () => referenceRunner },
  ...Object.fromEntries(Object.entries(TARGET_DESCRIPTIONS).map(([name, description]) => [name, { description, load: async () => compiledRunner(name) }])),
});

export const runnerNames = (): string[] => RUNNERS.names();

export const loadRunner = (name: string): Promise<Runner> => RUNNERS.load(name);
