// Names for a classifier's outputs: a labels file (one name per line, in class order), or torchvision's ImageNet
// names for a 1000-class model, or none (indices are printed).

import { CompileError } from '../../compiler/ir/errors.ts';
import { IMAGENET_CLASSES } from '../../runtime/image/imagenet-classes.ts';
import { readInputFile } from '../read-file.ts';

/** The lines of a labels file; their number must equal the model's class count. */
export function readLabels(path: string, classes: number): string[] {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(readInputFile(path));
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop(); // a final newline ends the last line
  if (lines.length !== classes) {
    throw new CompileError(`holds ${lines.length} labels but the model has ${classes} classes (one label per line)`, { file: path, kind: 'invalid-input' });
  }
  return lines;
}

/** ImageNet's names for 1000 classes, else none. */
export function defaultLabels(classes: number): readonly string[] | undefined {
  return classes === IMAGENET_CLASSES.length ? IMAGENET_CLASSES : undefined;
}
