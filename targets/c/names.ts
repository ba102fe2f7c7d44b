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
 * Text safe inside a C block comment that still reads as the model file has it (`"/stage2/stage2.0/Concat"
 * (Concat)`): letters, digits, spaces and _ . / : " ' ( ) , = + < > [ ] - survive, anything else becomes `?`.
 * No `*` (so no `*\/` or nested start), no backslash or newline (no line splice), runs of `?` shrink to one (no
 * trigraph such as `??/`), no `#` (no directive-looking text). Bounded length.
 */
export function commentText(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9_./: "'(),=+<>[\]-]/g, '?').replace(/\?{2,}/g, '?').replace(/\/\/+/g, '/');
  return clean.length > 120 ? clean.slice(0, 117) + '...' : clean;
}

/** The graph node name inside an origin (`"name" (OpType)`, JSON-quoted), or the whole origin in another form. */
export function nodeName(origin: string): string {
  const m = /^("(?:[^"\\]|\\.)*") \([^()]*\)$/s.exec(origin);
  if (!m) return origin;
  try {
    return JSON.parse(m[1]) as string;
  } catch {
    return origin;
  }
}

/** Name stems the emitted code uses itself: a kernel named like them gets a `node_` prefix instead. */
// `op_` prefixes the shared routines of the generic kernels (targets/c/kernels/view-source.ts and its users).
const RESERVED_STEMS = /^(run|weights|arena|pw|dw3x3|zero|offsets|runs|layer|split|job|io|pool|profile|op_|k\d)/;

/**
 * A C identifier part naming a kernel after its graph node: `/stage2/stage2.0/branch2/branch2.5/Conv` becomes
 * `stage2_0_branch2_5` (path segments that merely prefix the next one, and a last segment naming the op type,
 * are dropped). Only names made of [A-Za-z0-9_./:-] are used (anything else: undefined, the caller numbers the
 * kernel); bounded length; never empty, never starting with a digit.
 */
export function kernelStem(origin: string): string | undefined {
  const opType = /\(([^()]*)\)$/.exec(origin)?.[1] ?? '';
  if (!/^[A-Za-z0-9_./:-]+$/.test(nodeName(origin))) return undefined;
  const segments = nodeName(origin).split('/').filter(Boolean);
  if (segments.length > 1 && segments[segments.length - 1].toLowerCase() === opType.toLowerCase()) segments.pop();
  const kept = segments.filter((s, i) => i + 1 >= segments.length || !segments[i + 1].startsWith(s));
  let stem = kept.join('_').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(-40).replace(/^_+/, '');
  if (!stem || /^\d/.test(stem) || RESERVED_STEMS.test(stem)) stem = `node_${stem}`.replace(/_+$/, '');
  return stem;
}

/** Bytes a string literal keeps as themselves: no quote, backslash, `?` (trigraphs), `*` (so no comment marker), `#`. */
const PLAIN = /[A-Za-z0-9 _./:,'()+\[\]-]/;

/** A C string literal of `text`: plain characters as themselves, every other byte (UTF-8) as an octal escape. */
export function cString(text: string): string {
  let out = '"';
  for (const b of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(b);
    out += b < 0x80 && PLAIN.test(ch) ? ch : '\\' + b.toString(8).padStart(3, '0');
  }
  return out + '"';
}
