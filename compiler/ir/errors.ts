// One error type for everything a user can get wrong: it renders as a single line naming file, node and reason.

export interface ErrorSite {
  /** The model, spec or tensor file being read. */
  file?: string;
  /** Node name and op type, e.g. `"/stage2/Slice" (Slice)` (the IR node's origin). */
  node?: string;
}

/**
 * What went wrong, so callers (the CLI, the bundler plugin, users' code) branch without matching message text:
 * - `unsupported`: a valid model using something snv2c does not implement (an op, attribute, dtype, layout);
 * - `invalid-model`: the model, spec or weights file is malformed or inconsistent (the default);
 * - `invalid-input`: a tensor, image or option given alongside the model is wrong;
 * - `io`: a file could not be read or written, or a tool (C compiler, clang) could not run;
 * - `internal`: a bug in snv2c itself.
 */
export type ErrorKind = 'unsupported' | 'invalid-model' | 'invalid-input' | 'io' | 'internal';

export interface ErrorDetails extends ErrorSite {
  readonly kind?: ErrorKind;
}

/** Marks CompileErrors across copies of this module (a CommonJS and an ES module instance of one package). */
const BRAND = Symbol.for('snv2c.CompileError');

export class CompileError extends Error {
  /**
   * `e instanceof CompileError` holds for a CompileError from any copy of this module: tools that load snv2c both
   * ways (test runners, bundlers) would otherwise see two unrelated classes. Subclasses keep the usual check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== CompileError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly site: ErrorSite;
  readonly reason: string;
  readonly kind: ErrorKind;

  constructor(reason: string, details: ErrorDetails = {}) {
    const { kind, ...site } = details;
    super(formatMessage(reason, site));
    this.name = 'CompileError';
    this.reason = reason;
    this.site = site;
    this.kind = kind ?? 'invalid-model';
  }

  /** The file being read when it failed, if known. */
  get file(): string | undefined {
    return this.site.file;
  }

  /** The graph node it failed at (name and op type), if known. */
  get node(): string | undefined {
    return this.site.node;
  }

  /** The same reason and kind with more context filled in (inner code rarely knows the file name). */
  withSite(site: ErrorSite): CompileError {
    return new CompileError(this.reason, { ...site, ...this.site, file: this.site.file ?? site.file, kind: this.kind });
  }
}

function formatMessage(reason: string, site: ErrorSite): string {
  const parts: string[] = [];
  if (site.file) parts.push(site.file);
  if (site.node) parts.push(`node ${site.node}`);
  return (parts.length ? parts.join(': ') + ': ' : '') + oneLine(reason);
}

/** Errors must stay on one line whatever a model file puts into names. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}

/** At most `max` characters, the cut marked with "...". */
function bounded(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 3) + '...' : text;
}

/**
 * Untrusted text made safe for a one-line message without losing it: every character outside printable ASCII
 * becomes a \uXXXX escape (no newline, terminal control or bidi override gets through, and nothing is
 * replaced by '?'); bounded length.
 */
export function printable(text: string, max = 80): string {
  return bounded(text, max).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Quote an untrusted name for messages, in JSON string syntax: "/stages/stages.1/Add_1", "tab\u0009name". */
export function quoteName(name: string): string {
  return printable(JSON.stringify(bounded(name, 80)), 200);
}
