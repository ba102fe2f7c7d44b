// Every format the fuzzer knows, by name.

import type { FuzzFormat } from '../format.ts';
import { graphFormat } from './graph.ts';
import { imageFormat } from './image.ts';
import { npyFormat } from './npy.ts';
import { onnxFormat } from './onnx.ts';
import { specFormat } from './spec.ts';
import { pthFormat, safetensorsFormat } from './weights.ts';

export const FORMATS: Readonly<Record<string, FuzzFormat>> = Object.fromEntries(
  [onnxFormat, pthFormat, safetensorsFormat, npyFormat, specFormat, imageFormat, graphFormat].map((f) => [f.name, f]),
);
