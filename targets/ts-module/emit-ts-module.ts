// Emits the entry point of a compiled model, `<name>.js` + `<name>.d.ts`, built with ts-morph as one TypeScript
// structure (so the text is always syntactically valid) and emitted to JavaScript and declarations from it:
// plain Node ESM and every bundler can import it, TypeScript users get the types. Targets describe what differs
// (which runtime factory, which options); every model-derived value goes in through JSON.stringify. The runtime
// files it imports are written next to it (see runtime-files.ts), so the output folder is self-contained.

import type { ImportDeclarationStructure, StatementStructures, VariableStatementStructure } from 'ts-morph';
import type { Artifact } from '../../compiler/target.ts';
import { cachedEmit } from './emit-cache.ts';
import { emitJavaScript } from './emit-js.ts';
import { RUNTIME_DIR, runtimeArtifacts } from './runtime-files.ts';
import { tsMorph } from './ts-morph-loader.ts';

export interface TsModuleOption {
  readonly name: string;
  readonly type: string;
  readonly doc: string;
}

export interface TsModuleConstant {
  readonly name: string;
  /** JSON-serialisable. */
  readonly value: unknown;
  /** Declared type; without one the constant is `as const` (its literal type, e.g. readonly [1, 3, 224, 224]). */
  readonly type?: string;
}

export interface TsModuleSpec {
  /** Model name (a validated identifier): names the files. */
  readonly name: string;
  /** First comment lines (plain text, no model-derived strings). */
  readonly banner: readonly string[];
  /** Runtime modules (in RUNTIME_DIR, named without extension: 'wasm-model') to import from, with the names used. */
  readonly imports: readonly { readonly module: string; readonly names: readonly string[]; readonly typeOnly?: boolean }[];
  readonly constants: readonly TsModuleConstant[];
  /** Properties of the exported CreateModelOptions interface (all optional). */
  readonly options: readonly TsModuleOption[];
  /** Body of `createModel(options)`; must return a Promise of the model type. */
  readonly body: readonly string[];
  /** What createModel() resolves to: `Model` (the default) or a runtime type extending it, imported above. */
  readonly modelType?: string;
}

const runtimeModule = (module: string) => `./${RUNTIME_DIR}/${module}.js`;

function moduleSource(spec: TsModuleSpec): string {
  const { Project, StructureKind, VariableDeclarationKind } = tsMorph();
  const project = new Project({ useInMemoryFileSystem: true });
  const statements: StatementStructures[] = [
    ...spec.imports.map((i): ImportDeclarationStructure => ({
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: i.typeOnly ?? false,
      moduleSpecifier: runtimeModule(i.module),
      namedImports: [...i.names],
    })),
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: runtimeModule('model-api'), namedImports: ['Model'] },
    ...spec.constants.map((c): VariableStatementStructure => ({
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [c.type ? { name: c.name, type: c.type, initializer: JSON.stringify(c.value) } : { name: c.name, initializer: `${JSON.stringify(c.value)} as const` }],
    })),
    {
      kind: StructureKind.Interface,
      name: 'CreateModelOptions',
      isExported: true,
      properties: spec.options.map((o) => ({ name: o.name, type: o.type, hasQuestionToken: true, isReadonly: true, docs: [o.doc] })),
    },
    {
      kind: StructureKind.Function,
      name: 'createModel',
      isExported: true,
      isAsync: true,
      docs: ['Creates a ready-to-run instance of the model: `(await createModel()).run(input)`; call dispose() when done.'],
      parameters: [{ name: 'options', type: 'CreateModelOptions', initializer: '{}' }],
      returnType: `Promise<${spec.modelType ?? 'Model'}>`,
      statements: [...spec.body],
    },
  ];
  return project.createSourceFile(`${spec.name}.ts`, { statements }).getFullText();
}

/**
 * `<name>.js`, `<name>.d.ts` and the runtime files they import. The module's text depends only on the spec and
 * this file's code, so models with the same name, shapes and target share one emit cache entry.
 */
export function emitTsModule(spec: TsModuleSpec): Artifact[] {
  const banner = spec.banner.map((l) => `// ${l.replace(/[\r\n]/g, ' ')}\n`).join('');
  const key = { emitters: [import.meta.url], inputs: [JSON.stringify(spec)] };
  const emitted = cachedEmit(key, () => emitJavaScript(new Map([[`${spec.name}.ts`, moduleSource(spec)]])));
  const text = (path: string) => emitted.find((f) => f.path === path)!.text;
  return [
    { path: `${spec.name}.js`, contents: banner + text(`${spec.name}.js`) },
    { path: `${spec.name}.d.ts`, contents: banner + text(`${spec.name}.d.ts`) },
    ...runtimeArtifacts(['model-api', ...spec.imports.map((i) => i.module)]),
  ];
}
