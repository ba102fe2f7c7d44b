// Everything that turns untrusted text (model names, node origins) into C source goes through here.

import { CompileError, quoteName } from '../../compiler/ir/errors.ts';

const C_KEYWORDS = new Set(
  ('auto break case char const continue default do double else enum extern float for goto if inline int long register restrict return ' +
    'short signed sizeof static struct switch typedef union unsigned void volatile while _Bool _Complex _Imaginary main').split(' '),
);

/** A model name must be a plain C identifier: it prefixes every symbol and names the emitted files. */
export function validateModelName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(name) || C_KEYWORDS.has(name)) {
    throw new CompileError(`model name ${quoteName(name)} must be a C identifier (a letter, then letters, digits or _; at most 63 characters; not a C keyword)`, { kind: 'invalid-input' });
  }
  return name;
}

/** The name as a macro prefix (`mobile_net` -> `MOBILE_NET`). */
export function macroPrefix(name: string): string {
  return validateModelName(name).toUpperCase();
}

/**
 * Text safe inside a C block comment: only [A-Za-z0-9_./:-] and spaces survive (everything else becomes `?`),
 * so no `*` and hence no `*\/` can ever appear, nor line splices, trigraphs or newlines. Bounded length.
 */
export function commentText(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9_./: -]/g, '?').replace(/\/\/+/g, '/');
  return clean.length > 120 ? clean.slice(0, 117) + '...' : clean;
}
