// `snv2c analyze --html`: one self-contained page (inline CSS and SVG, no scripts, no external assets) with
// the per-layer FLOPs-vs-MAC chart, guideline flags, memory traffic by op category before and after the
// passes, and the arena figures; with measured times (`--profile`), a time bar per layer beside FLOPs and MAC.
// Every name from the model is escaped before it reaches the markup.

import type { CostReport, LayerReport } from './analyze-cost.ts';
import { arenaParts, scratchSummary, type ModelAnalysis } from './analyze-model.ts';
import { displayName, formatBytes, formatCount } from './format.ts';
import type { GuidelineId } from './guidelines.ts';
import type { LayerCategory } from './layer-cost.ts';

/** Text safe inside HTML/SVG content and attributes; control characters (not allowed in HTML) become U+FFFD. */
export function escapeHtml(text: string): string {
  return text
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, '\ufffd')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const FLAG_COLOURS: Record<GuidelineId, string> = { G1: '#d62728', G2: '#9467bd', G3: '#17becf', G4: '#bcbd22' };
const CATEGORY_COLOURS: Record<LayerCategory, string> = {
  conv: '#4c78a8',
  matmul: '#72b7b2',
  pool: '#54a24b',
  elementwise: '#e45756',
  movement: '#f58518',
  view: '#bab0ac',
};
const FLOPS_COLOUR = '#4c78a8';
const MAC_COLOUR = '#f58518';
const TIME_COLOUR = '#2ca02c';

/** Times measured on a target (`snv2c analyze --profile`), by compiled-graph node id; drawn beside FLOPs and MAC. */
export interface MeasuredTimes {
  readonly target: string;
  readonly msByNode: ReadonlyMap<number, number>;
  /** How they were taken, for the page ("median of 20 instrumented runs"). */
  readonly how: string;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const num = (x: number) => (Math.round(x * 10) / 10).toString();

/** Per-layer rows: share of all FLOPs and share of all memory traffic, side by side, with guideline badges. */
function layerChart(report: CostReport, measured?: MeasuredTimes): string {
  const layers = report.layers.filter((l) => l.category !== 'view');
  const flops = Math.max(1, report.totals.flops);
  const bytes = Math.max(1, report.totals.macBytes);
  const totalMs = measured ? Math.max(1e-12, [...measured.msByNode.values()].reduce((a, b) => a + b, 0)) : 1;
  const timeShare = (l: LayerReport) => (measured ? (measured.msByNode.get(l.nodeId) ?? 0) / totalMs : 0);
  const maxShare = Math.max(1e-9, ...layers.map((l) => Math.max(l.flops / flops, l.macBytes / bytes, timeShare(l))));
  const rowH = measured ? 24 : 18;
  const labelW = 300;
  const barW = 480;
  const width = labelW + barW + 330;
  const height = layers.length * rowH + 30;
  const rows = layers.map((l, i) => layerRow(l, i, { y: 24 + i * rowH, labelW, barW, scale: barW / maxShare, flops, bytes, time: measured && { share: timeShare(l), ms: measured.msByNode.get(l.nodeId) ?? 0 } }));
  const axis = [0, 0.5, 1].map((f) => {
    const x = labelW + f * barW;
    return `<line x1="${x}" y1="16" x2="${x}" y2="${height}" class="grid"/><text x="${x}" y="12" class="axis">${pct(f * maxShare)}</text>`;
  });
  return `<svg role="img" aria-label="FLOPs and memory access per layer" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${axis.join('')}${rows.join('')}</svg>`;
}

interface RowGeometry {
  y: number;
  labelW: number;
  barW: number;
  scale: number;
  flops: number;
  bytes: number;
  /** Measured share of time and ms, when the report carries times. */
  time?: { share: number; ms: number };
}

function layerRow(l: LayerReport, i: number, g: RowGeometry): string {
  const fw = (l.flops / g.flops) * g.scale;
  const mw = (l.macBytes / g.bytes) * g.scale;
  const measured = g.time ? `, ${g.time.ms.toFixed(3)} ms (${pct(g.time.share)} of the time)` : '';
  const tip = escapeHtml(`${l.name} (${l.op}): ${formatCount(l.macs)} MACs, ${formatCount(l.flops)} FLOPs, ${formatBytes(l.macBytes)} MAC, ${num(l.intensity)} FLOP/B${measured}`);
  const badges = l.guidelines.map((id, k) => {
    const x = g.labelW + g.barW + 200 + k * 30;
    return `<rect x="${x}" y="${g.y - 11}" width="26" height="13" rx="3" fill="${FLAG_COLOURS[id]}"/><text x="${x + 13}" y="${g.y - 1}" class="badge">${id}</text>`;
  });
  return (
    `<g${i % 2 ? ' class="odd"' : ''}><title>${tip}</title>` +
    `<rect x="0" y="${g.y - 13}" width="${g.labelW + g.barW + 330}" height="${g.time ? 24 : 18}" class="band"/>` +
    `<text x="${g.labelW - 8}" y="${g.y}" class="label">${escapeHtml(displayName(l.name, 42))}</text>` +
    `<rect x="${g.labelW}" y="${g.y - 11}" width="${fw.toFixed(2)}" height="6" fill="${FLOPS_COLOUR}"/>` +
    `<rect x="${g.labelW}" y="${g.y - 4}" width="${mw.toFixed(2)}" height="6" fill="${MAC_COLOUR}"/>` +
    (g.time ? `<rect x="${g.labelW}" y="${g.y + 3}" width="${(g.time.share * g.scale).toFixed(2)}" height="6" fill="${TIME_COLOUR}"/>` : '') +
    `<text x="${g.labelW + g.barW + 8}" y="${g.y}" class="fig">${escapeHtml(`${l.op} · ${formatBytes(l.macBytes)} · ${num(l.intensity)} F/B`)}</text>` +
    badges.join('') +
    `</g>`
  );
}

/** Memory traffic by op category: one stacked bar per report, on a common scale. */
function categoryBars(reports: readonly [string, CostReport][]): string {
  const max = Math.max(1, ...reports.map(([, r]) => r.totals.macBytes));
  const barW = 760;
  const categories = Object.keys(CATEGORY_COLOURS) as LayerCategory[];
  const bars = reports.map(([label, r], i) => {
    const y = 10 + i * 34;
    let x = 120;
    const segments = categories.map((c) => {
      const part = r.layers.filter((l) => l.category === c).reduce((s, l) => s + l.macBytes, 0);
      const w = (part / max) * barW;
      const seg = part > 0 ? `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="22" fill="${CATEGORY_COLOURS[c]}"><title>${c}: ${formatBytes(part)} (${pct(part / Math.max(1, r.totals.macBytes))})</title></rect>` : '';
      x += w;
      return seg;
    });
    return `<text x="110" y="${y + 15}" class="label">${escapeHtml(label)}</text>${segments.join('')}<text x="${x + 8}" y="${y + 15}" class="fig">${formatBytes(r.totals.macBytes)}</text>`;
  });
  const legend = categories.map((c, k) => `<rect x="${120 + k * 110}" y="${14 + reports.length * 34}" width="12" height="12" fill="${CATEGORY_COLOURS[c]}"/><text x="${136 + k * 110}" y="${24 + reports.length * 34}" class="fig">${c}</text>`);
  const height = reports.length * 34 + 34;
  return `<svg role="img" aria-label="memory traffic by op category" width="1000" height="${height}" viewBox="0 0 1000 ${height}" xmlns="http://www.w3.org/2000/svg">${bars.join('')}${legend.join('')}</svg>`;
}

function memoryBars(a: ModelAnalysis): string {
  const m = a.memory;
  const rows: [string, number, string][] = [
    ['arena', m.arenaBytes, '#4c78a8'],
    ['activations', m.plannedBytes, '#72b7b2'],
    ['lower bound', m.arenaLowerBoundBytes, '#54a24b'],
    ['all activations', m.activationBytes, '#bab0ac'],
  ];
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const bars = rows.map(([label, v, colour], i) => {
    const y = 8 + i * 26;
    const w = (v / max) * 700;
    return `<text x="140" y="${y + 14}" class="label">${label}</text><rect x="150" y="${y}" width="${w.toFixed(2)}" height="18" fill="${colour}"/><text x="${158 + w}" y="${y + 14}" class="fig">${formatBytes(v)}</text>`;
  });
  return `<svg role="img" aria-label="arena size" width="1000" height="116" viewBox="0 0 1000 116" xmlns="http://www.w3.org/2000/svg">${bars.join('')}</svg>`;
}

function totalsTable(a: ModelAnalysis): string {
  const b = a.before.totals;
  const f = a.after.totals;
  const row = (label: string, x: string, y: string) => `<tr><th>${label}</th><td>${escapeHtml(x)}</td><td>${escapeHtml(y)}</td></tr>`;
  return `<table class="totals"><tr><th></th><th>as given</th><th>compiled</th></tr>${[
    row('multiply-adds', formatCount(b.macs), formatCount(f.macs)),
    row('FLOPs', formatCount(b.flops), formatCount(f.flops)),
    row('parameters', b.params.toLocaleString('en-US'), f.params.toLocaleString('en-US')),
    row('memory access (MAC)', formatBytes(b.macBytes), formatBytes(f.macBytes)),
    row('bytes moved by copies', formatBytes(b.movedBytes), formatBytes(f.movedBytes)),
    row('FLOPs per MAC byte', b.intensity.toFixed(2), f.intensity.toFixed(2)),
    row('kernels (views)', `${b.kernels} (${b.views})`, `${f.kernels} (${f.views})`),
  ].join('')}</table>`;
}

function findingsTable(a: ModelAnalysis): string {
  const rows = a.before.findings.map((before, i) => {
    const after = a.after.findings[i];
    return `<tr><th><span class="flag" style="background:${FLAG_COLOURS[before.id]}">${before.id}</span> ${escapeHtml(before.title)}</th><td>${escapeHtml(before.summary)}</td><td>${escapeHtml(after.summary)}</td></tr>`;
  });
  return `<table class="findings"><tr><th>guideline</th><th>as given</th><th>compiled</th></tr>${rows.join('')}</table>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px 32px;color:#222;background:#fff;max-width:1240px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.sub{color:#666;margin:0 0 16px}
table{border-collapse:collapse;margin:8px 0}th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
.totals td{text-align:right;font-variant-numeric:tabular-nums}
.flag{display:inline-block;color:#fff;border-radius:3px;padding:0 5px;font-size:12px;font-weight:600}
svg text{font:12px system-ui,sans-serif;fill:#333}svg .label{text-anchor:end}svg .axis{text-anchor:middle;fill:#888;font-size:11px}
svg .badge{text-anchor:middle;fill:#fff;font-size:10px;font-weight:600}svg .fig{fill:#555;font-size:11px}
svg .grid{stroke:#ddd}svg .band{fill:transparent}svg .odd .band{fill:#f6f6f6}
details{margin:24px 0}summary{cursor:pointer;font-weight:600}
.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 14px;vertical-align:-1px}
`;

export function formatHtmlReport(a: ModelAnalysis, title: string, measured?: MeasuredTimes): string {
  const views = a.after.totals.views;
  const m = a.memory;
  const ratio = m.arenaLowerBoundBytes > 0 ? m.plannedBytes / m.arenaLowerBoundBytes : 1;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>snv2c analyze: ${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<h1>snv2c analyze: ${escapeHtml(title)}</h1>
<p class="sub">input ${escapeHtml(a.inputShapes.map((s) => s.join('×')).join(', '))} · ${formatCount(a.after.totals.macs)} multiply-adds · ${a.before.totals.params.toLocaleString('en-US')} parameters (as given) · bytes moved by split/concat/shuffle after the passes: ${formatBytes(a.after.totals.movedBytes)}</p>
<h2>Totals</h2>${totalsTable(a)}
<h2>Guidelines (ShuffleNetV2, section 2)</h2>${findingsTable(a)}
<h2>Memory traffic by op kind</h2>${categoryBars([['as given', a.before], ['compiled', a.after]])}
<h2>Arena</h2><p>arena ${formatBytes(m.arenaBytes)}: ${escapeHtml(arenaParts(m))}. Planned activations ${formatBytes(m.plannedBytes)} = ${ratio.toFixed(3)}× the lower bound; ${(m.activationBytes / Math.max(1, m.plannedBytes)).toFixed(1)}× smaller than all activations. ${escapeHtml(scratchSummary(m))}. Copies at run time: ${m.copyNodes.length ? escapeHtml(m.copyNodes.map((n) => displayName(n, 30)).join(', ')) : 'none'}.</p>${memoryBars(a)}
<h2>Per layer: share of FLOPs vs share of memory access${measured ? ' vs share of measured time' : ''} (compiled graph)</h2>
${measured ? `<p>Time measured on target ${escapeHtml(measured.target)}: ${escapeHtml(measured.how)}.</p>` : ''}
<p class="key"><span style="background:${FLOPS_COLOUR}"></span>FLOPs<span style="background:${MAC_COLOUR}"></span>MAC bytes${measured ? `<span style="background:${TIME_COLOUR}"></span>time` : ''} ${(Object.keys(FLAG_COLOURS) as GuidelineId[]).map((id) => `<span style="background:${FLAG_COLOURS[id]}"></span>${id}`).join('')} · ${views} view node(s) (split/concat/shuffle) run no code and are not drawn.</p>
${layerChart(a.after, measured)}
<details><summary>Per layer, model as given (${a.before.layers.length} nodes: batch norms, ReLUs and copies still separate)</summary>
${layerChart(a.before)}
</details>
</body></html>
`;
}
