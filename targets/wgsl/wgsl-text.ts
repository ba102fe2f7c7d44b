// Small helpers for writing WGSL text safely: integer literals, and comments that never carry untrusted bytes.

/** An unsigned WGSL literal; refuses anything that is not an exact u32 (a bug upstream, not user input). */
export function u32(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new Error(`internal: ${n} is not a u32`);
  return `${n}u`;
}

/**
 * A node origin fit for a comment or a message: model files name nodes freely, so only [A-Za-z0-9_./:-]
 * survives (everything else becomes '_'), bounded in length.
 */
export function safeOrigin(origin: string): string {
  const clean = origin.replace(/[^A-Za-z0-9_./:-]/g, '_');
  return clean.length > 96 ? clean.slice(0, 93) + '...' : clean;
}
