// Number and name formatting shared by the text and HTML reports.

/** 1234567 -> "1.23M"; counts of MACs, FLOPs, parameters. */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(Math.round(n));
}

/** Bytes in binary units: "1.44 MiB". */
export function formatBytes(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (abs >= 1 << 20) return `${(n / (1 << 20)).toFixed(2)} MiB`;
  if (abs >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

/**
 * A model-file name made safe for a terminal: printable ASCII only, at most `width` characters. Long names
 * lose their middle, since exported names differ at the end ('/stage3/.../branch2.3/Conv').
 */
export function displayName(name: string, width = 40): string {
  const clean = name.replace(/[^\x20-\x7e]/g, '?');
  if (clean.length <= width) return clean;
  const head = Math.ceil((width - 3) / 2);
  return clean.slice(0, head) + '...' + clean.slice(clean.length - (width - 3 - head));
}
