// File reading for the CLI: any I/O failure becomes a one-line CompileError naming the file.

import { readFileSync } from 'node:fs';
import { CompileError } from '../compiler/ir/errors.ts';

export function readInputFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new CompileError(`cannot read file: ${why}`, { file: path, kind: 'io' });
  }
}
