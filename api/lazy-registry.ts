// A name -> implementation table whose entries load on first use, so starting the CLI never pulls in a backend or
// toolchain it does not use. The target registry (targets.ts) and the runners (runners.ts) are built on it.

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
        throw new CompileError(`unknown target ${JSON.stringify(name.slice(0, 40))}; available: ${list}`, { kind: 'invalid-input' });
      }
      return entry.load();
    },
  };
}
