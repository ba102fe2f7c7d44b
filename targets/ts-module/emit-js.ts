// Turns TypeScript sources held in memory into JavaScript + `.d.ts` with ts-morph's emitter, so what snv2c writes
// runs in plain Node ESM and every bundler without a TypeScript loader. Options are fixed (not read from any
// tsconfig) and nothing is resolved from disk, so the same sources always give the same bytes. Callers go
// through the emit cache (emit-cache.ts); ts-morph is loaded only when something is really emitted.

import type { ts } from 'ts-morph';
import { tsMorph } from './ts-morph-loader.ts';

/** This module, whose text is part of every emit cache key: a change to the options below invalidates entries. */
export const EMITTER_MODULE = import.meta.url;

function compilerOptions(): ts.CompilerOptions {
  const { ts } = tsMorph();
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    declaration: true,
    // Emit only: every exported type is spelt out in the sources, so neither lib files nor packages are needed
    // (declarations come out identical to a full tsc build of runtime/, checked when this was written).
    noLib: true,
    noResolve: true,
    types: [],
    newLine: ts.NewLineKind.LineFeed,
  };
}

export interface EmittedFile {
  /** The source's path with `.ts` replaced by `.js` or `.d.ts`. */
  readonly path: string;
  readonly text: string;
}

/** `./x.ts` -> `./x.js`: the file a relative import loads once emitted (TypeScript resolves either to x.ts). */
function runtimeSpecifier(specifier: string): string {
  return /^\.\.?\//.test(specifier) ? specifier.replace(/\.ts$/, '.js') : specifier;
}

/** Emits every source (path relative to a virtual root -> TypeScript text), sorted by output path. */
export function emitJavaScript(sources: ReadonlyMap<string, string>): EmittedFile[] {
  const { Project, ts } = tsMorph();
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: compilerOptions() });
  for (const [path, text] of sources) {
    const file = project.createSourceFile(`/src/${path}`, text);
    for (const declaration of [...file.getImportDeclarations(), ...file.getExportDeclarations()]) {
      const specifier = declaration.getModuleSpecifierValue();
      if (specifier !== undefined && runtimeSpecifier(specifier) !== specifier) declaration.setModuleSpecifier(runtimeSpecifier(specifier));
    }
  }
  const result = project.emitToMemory();
  const problems = result.getDiagnostics();
  if (problems.length) throw new Error(`emitting JavaScript failed: ${problems.map((d) => ts.flattenDiagnosticMessageText(d.compilerObject.messageText, ' ')).join('; ')}`);
  return result
    .getFiles()
    .map((f) => ({ path: f.filePath.replace(/^\/src\//, ''), text: f.text }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
