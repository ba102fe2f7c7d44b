// One error type for everything a user can get wrong: it renders as a single line naming file, node and reason.

export interface ErrorSite {
  /** The model, spec or tensor file being read. */
  file?: string;
  /** Node name and op type, e.g. "'/stage2/Slice' (Slice)". */
  node?: string;
}

export class CompileError extends Error {
  readonly site: ErrorSite;
  readonly reason: string;

  constructor(reason: string, site: ErrorSite = {}) {
    super(formatMessage(reason, site));
    this.name = 'CompileError';
    this.reason = reason;
    this.site = site;
  }

  /** The same reason with more context filled in (inner code rarely knows the file name). */
  withSite(site: ErrorSite): CompileError {
    return new CompileError(this.reason, { ...site, ...this.site, file: this.site.file ?? site.file });
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

/** Quote an untrusted name for messages: printable ASCII only, bounded length. */
export function quoteName(name: string): string {
  const clean = name.replace(/[^\x20-\x7e]/g, '?');
  return `'${clean.length > 80 ? clean.slice(0, 77) + '...' : clean}'`;
}
