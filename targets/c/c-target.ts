// The `c` and `neon` targets: the same emitted structure, the latter with arm_neon.h paths behind __ARM_NEON.

import type { Target } from '../../compiler/target.ts';
import { emitCModel } from './emit-model.ts';

export const cTarget: Target = {
  name: 'c',
  passes: [],
  emit: (graph, plan, options) => emitCModel(graph, plan, { name: options.name, neon: false }).artifacts,
};

export const neonTarget: Target = {
  name: 'neon',
  passes: [],
  emit: (graph, plan, options) => emitCModel(graph, plan, { name: options.name, neon: true }).artifacts,
};
