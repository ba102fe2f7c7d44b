// A name -> implementation table whose entries load on first use, so starting the CLI never pulls in a backend or
// toolchain it does not use. `snv2c compile` (targets.ts) and `snv2c run` (runners.ts) each keep one.

import { CompileError } from '../compiler/ir/errors.ts';

export interface LazyEntry<T> {
  readonly description: string;
  readonly load: () => Promise<T>;
}

export interface LazyRegistry<T> {
  names(): string[];
  /** The implementation named `name`; an unknown name is a one-line error listing what there is. */
  load(name: string): Promise<T>;
}

export function lazyRegistry<T>(entries: Readonly<Record<string, LazyEntry<T>>>): LazyRegistry<T> {
  return {
    names: () => Object.keys(entries),
    load: async (name) => {
      const entry = Object.hasOwn(entries, name) ? entries[name] : undefined;
      if (!entry) {
        const list = Object.entries(entries).map(([n, e]) => `${n} (${e.description})`).join(', ');
        throw new CompileError(`unknown target ${JSON.stringify(name.slice(0, 40))}; available: ${list}`);
      }
      return entry.load();
    },
  };
}
