// `snv2c analyze <model> [--json] [--html report.html]`: the library's analyze(): cost of the model as given and
// of the compiled graph (multiply-adds, parameters, memory access cost, G1-G4 findings), and the arena.

import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CommandModule } from 'yargs';
import { analyze, CompileError } from '../../api/index.ts';
import { analysisJson } from '../../compiler/analysis/analyze-model.ts';
import { formatHtmlReport } from '../../compiler/analysis/html-report.ts';
import { formatTextReport } from '../../compiler/analysis/text-report.ts';
import { loadOptions, withModelOptions, type ModelArgs } from '../options.ts';
import { passOptions, withPassOptions, type PassArgs } from '../pass-options.ts';

interface AnalyzeArgs extends ModelArgs, PassArgs {
  json: boolean;
  html?: string;
}

export const analyzeCommand: CommandModule<object, AnalyzeArgs> = {
  command: 'analyze <model>',
  describe: 'report multiply-adds, parameters, memory access cost, guideline findings and the arena size',
  builder: (y) =>
    withPassOptions(withModelOptions(y))
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
      .option('html', { type: 'string', describe: 'also write a self-contained HTML report to this file' }) as never,
  handler: async (args) => {
    const { report } = await analyze(args.model, { ...loadOptions(args), passes: passOptions(args) });
    if (args.html !== undefined) {
      try {
        writeFileSync(args.html, formatHtmlReport(report, basename(args.model)));
      } catch (e) {
        throw new CompileError(`cannot write the HTML report: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: args.html, kind: 'io' });
      }
    }
    process.stdout.write(args.json ? JSON.stringify(analysisJson(report), null, 2) + '\n' : formatTextReport(report));
  },
};
