// `snv2c analyze <model> [--json] [--html report.html]`: cost of the model as given and of the compiled graph
// (multiply-adds, parameters, memory access cost, G1-G4 findings), plus the arena of the static memory plan.

import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CommandModule } from 'yargs';
import { analysisJson, analyzeModel } from '../../compiler/analysis/analyze-model.ts';
import { formatHtmlReport } from '../../compiler/analysis/html-report.ts';
import { formatTextReport } from '../../compiler/analysis/text-report.ts';
import { CompileError } from '../../compiler/ir/errors.ts';
import { runPipeline } from '../../compiler/pipeline.ts';
import { planMemory } from '../../compiler/plan/plan-memory.ts';
import { loadModel } from '../load-model.ts';
import { loadOptions, withModelOptions, type ModelArgs } from '../options.ts';
import { pipelineOptions, withPassOptions, type PassArgs } from '../pass-options.ts';

interface AnalyzeArgs extends ModelArgs, PassArgs {
  json: boolean;
  html?: string;
}

const warn = (line: string) => process.stderr.write(`warning: ${line}\n`);

export const analyzeCommand: CommandModule<object, AnalyzeArgs> = {
  command: 'analyze <model>',
  describe: 'report multiply-adds, parameters, memory access cost, guideline findings and the arena size',
  builder: (y) =>
    withPassOptions(withModelOptions(y))
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
      .option('html', { type: 'string', describe: 'also write a self-contained HTML report to this file' }) as never,
  handler: async (args) => {
    const imported = await loadModel(args.model, { ...loadOptions(args), warn });
    const compiled = runPipeline(imported, pipelineOptions(args));
    const analysis = analyzeModel(imported, compiled, planMemory(compiled));
    if (args.html !== undefined) {
      try {
        writeFileSync(args.html, formatHtmlReport(analysis, basename(args.model)));
      } catch (e) {
        throw new CompileError(`cannot write the HTML report: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: args.html });
      }
    }
    process.stdout.write(args.json ? JSON.stringify(analysisJson(analysis), null, 2) + '\n' : formatTextReport(analysis));
  },
};
