// Matches loaded weights against the state_dict a spec expects and reports every mismatch in one error, so a
// wrong checkpoint (other width, other class count, renamed keys) is diagnosed in one run, not one key per run.

import { CompileError, quoteName } from '../../ir/errors.ts';
import type { ParamSlot } from '../weights/init-weights.ts';
import type { WeightMap } from '../weights/weight-map.ts';

/** Keys torch keeps in a state_dict that inference does not use. */
const IGNORED_SUFFIXES = ['num_batches_tracked'];
const MAX_LISTED = 12;

export function checkWeights(weights: WeightMap, layout: readonly ParamSlot[], file: string): void {
  const expected = new Map(layout.map((s) => [s.key, s]));
  const missing: string[] = [];
  const wrongShape: string[] = [];
  for (const slot of layout) {
    const found = weights.get(slot.key);
    if (!found) missing.push(quoteName(slot.key));
    else if (found.shape.length !== slot.shape.length || found.shape.some((d, i) => d !== slot.shape[i])) {
      wrongShape.push(`${quoteName(slot.key)} expected [${slot.shape.join(',')}] found [${found.shape.join(',')}]`);
    }
  }
  const extra = [...weights.keys()].filter((k) => !expected.has(k) && !IGNORED_SUFFIXES.some((s) => k.endsWith(s))).map(quoteName);
  const parts: string[] = [];
  if (missing.length) parts.push(`missing ${missing.length} key(s): ${list(missing)}`);
  if (wrongShape.length) parts.push(`wrong shape for ${wrongShape.length} key(s): ${list(wrongShape)}`);
  if (extra.length) parts.push(`unexpected ${extra.length} key(s): ${list(extra)}`);
  const unexpected = [...weights.keys()].filter((k) => !expected.has(k));
  if (missing.length && unexpected.length && unexpected.every((k) => k.startsWith('module.'))) {
    parts.push("the keys carry a 'module.' prefix (saved from nn.DataParallel?); save model.module.state_dict() instead");
  }
  if (parts.length) throw new CompileError(`weights do not match the spec: ${parts.join('; ')}`, { file });
}

function list(items: string[]): string {
  return items.slice(0, MAX_LISTED).join(', ') + (items.length > MAX_LISTED ? `, ... (${items.length - MAX_LISTED} more)` : '');
}
