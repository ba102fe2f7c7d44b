// Emits the typed `<name>.ts` entry point of a compiled model with ts-morph (built as one structure, so the
// text is always syntactically valid). Targets describe what differs (which runtime factory, which options);
// every model-derived value goes in through JSON.stringify. The runtime files it imports are copied next to it
// (see runtime-files.ts), so the output folder is self-contained.

import { Project, StructureKind, VariableDeclarationKind, type StatementStructures } from 'ts-morph';

export const RUNTIME_DIR = 'snv2c-runtime';

export interface TsModuleOption {
  readonly name: string;
  readonly type: string;
  readonly doc: string;
}

export interface TsModuleSpec {
  /** Model name (a validated identifier): names the file. */
  readonly name: string;
  /** First comment lines (plain text, no model-derived strings). */
  readonly banner: readonly string[];
  /** Runtime files (in RUNTIME_DIR) to import from, with the names used. */
  readonly imports: readonly { readonly file: string; readonly names: readonly string[]; readonly typeOnly?: boolean }[];
  /** Exported constants (JSON-serialisable values). */
  readonly constants: Readonly<Record<string, unknown>>;
  /** Properties of the exported CreateModelOptions interface (all optional). */
  readonly options: readonly TsModuleOption[];
  /** Body of `createModel(options)`; must return Promise<Model>. */
  readonly body: readonly string[];
}

export function emitTsModule(spec: TsModuleSpec): string {
  const project = new Project({ useInMemoryFileSystem: true });
  const statements: StatementStructures[] = [
    ...spec.imports.map((i) => ({
      kind: StructureKind.ImportDeclaration as const,
      isTypeOnly: i.typeOnly ?? false,
      moduleSpecifier: `./${RUNTIME_DIR}/${i.file}`,
      namedImports: [...i.names],
    })),
    { kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: `./${RUNTIME_DIR}/model-api.ts`, namedImports: ['Model'] },
    ...Object.entries(spec.constants).map(([name, value]) => ({
      kind: StructureKind.VariableStatement as const,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name, initializer: `${JSON.stringify(value)} as const` }],
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
      returnType: 'Promise<Model>',
      statements: [...spec.body],
    },
  ];
  const file = project.createSourceFile(`${spec.name}.ts`, { statements });
  file.insertStatements(0, spec.banner.map((l) => `// ${l.replace(/[\r\n]/g, ' ')}`).join('\n'));
  return file.getFullText();
}
