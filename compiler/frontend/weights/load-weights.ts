// Entry point for weight files: picks the reader by magic bytes (falling back to the extension for the message),
// and warns once about NaN/Inf values, which are legal but almost always a broken checkpoint.

import { CompileError, quoteName } from '../../ir/errors.ts';
import { isZip, loadPth } from './load-pth.ts';
import { isLegacyTorchSave, loadLegacyPth } from './load-pth-legacy.ts';
import { loadSafetensors, looksLikeSafetensors } from './load-safetensors.ts';
import { nonFiniteKeys } from './tensor-data.ts';
import type { WeightMap } from './weight-map.ts';

export type { WeightMap, WeightTensor } from './weight-map.ts';

export interface LoadWeightsOptions {
  /** Where warnings go (default: one line on stderr). */
  warn?: (message: string) => void;
}

export function loadWeights(bytes: Uint8Array, file: string, opts: LoadWeightsOptions = {}): WeightMap {
  const extension = /\.([A-Za-z0-9]+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
  let weights: WeightMap;
  if (isZip(bytes)) weights = loadPth(bytes, file);
  else if (isLegacyTorchSave(bytes)) weights = loadLegacyPth(bytes, file);
  else if (extension === 'safetensors' || looksLikeSafetensors(bytes)) weights = loadSafetensors(bytes, file);
  else if (extension === 'pth' || extension === 'pt' || extension === 'bin') throw new CompileError('not a torch.save file (neither a zip archive nor the legacy format: wrong magic bytes; truncated or not a checkpoint?)', { file });
  else throw new CompileError('unknown weight file format: expected a torch.save .pth/.pt file or a .safetensors file', { file });

  const bad = nonFiniteKeys(weights);
  if (bad.length) {
    const warn = opts.warn ?? ((m: string) => process.stderr.write(`warning: ${m}\n`));
    const shown = bad.slice(0, 5).map(quoteName).join(', ');
    warn(`${file}: NaN or Inf values in ${bad.length} tensor(s): ${shown}${bad.length > 5 ? ', ...' : ''}; continuing`);
  }
  return weights;
}
