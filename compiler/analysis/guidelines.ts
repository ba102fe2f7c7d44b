// The four practical guidelines of ShuffleNetV2 (Ma et al. 2018, section 2), each measured on a graph:
//  G1  equal channel width minimises MAC: 1x1 convs whose c1:c2 is far from 1, and the bytes above the
//      balanced optimum (same FLOPs, c1 = c2 = sqrt(c1·c2)).
//  G2  excessive group convolution increases MAC: grouped convs, their share of memory traffic vs of FLOPs.
//  G3  network fragmentation reduces parallelism: units with parallel branches, kernels and small ops per unit.
//  G4  element-wise operations are non-negligible: share of memory traffic in element-wise and copy ops.

import type { LayerCost } from './layer-cost.ts';
import type { Unit } from './fragmentation.ts';

export type GuidelineId = 'G1' | 'G2' | 'G3' | 'G4';

export interface GuidelineFinding {
  readonly id: GuidelineId;
  readonly title: string;
  /** Layers flagged under this guideline. */
  readonly flagged: number;
  /** One line with the measured figures. */
  readonly summary: string;
  readonly figures: Readonly<Record<string, number>>;
}

export interface GuidelineOptions {
  /** G1 flags 1x1 convs with max(c1,c2)/min(c1,c2) at least this (default 2). */
  readonly g1Ratio?: number;
  /** G2 flags convs with at least this many groups (default 8; depthwise convs qualify). */
  readonly g2Groups?: number;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/** True for a layer that runs as its own small kernel doing no arithmetic worth the launch (G3, G4). */
export const isSmallOp = (l: LayerCost) => l.category === 'elementwise' || l.category === 'movement';

export function checkGuidelines(layers: readonly LayerCost[], units: readonly Unit[], stepOf: ReadonlyMap<number, number>, opts: GuidelineOptions = {}) {
  const flags = new Map<number, GuidelineId[]>(layers.map((l) => [l.nodeId, []]));
  const flag = (l: LayerCost, id: GuidelineId) => flags.get(l.nodeId)!.push(id);
  const totalBytes = layers.reduce((s, l) => s + l.macBytes, 0);
  const totalFlops = layers.reduce((s, l) => s + l.flops, 0);

  // G1
  const g1Ratio = opts.g1Ratio ?? 2;
  let g1Excess = 0;
  let worstRatio = 1;
  const g1 = layers.filter((l) => {
    const c = l.conv;
    if (!c || c.groups !== 1 || c.kernel[0] !== 1 || c.kernel[1] !== 1) return false;
    const ratio = Math.max(c.c1, c.c2) / Math.min(c.c1, c.c2);
    if (ratio < g1Ratio) return false;
    const balanced = Math.sqrt(c.c1 * c.c2);
    g1Excess += 4 * c.batch * (c.inPlane * c.c1 + c.outPlane * c.c2 - balanced * (c.inPlane + c.outPlane));
    worstRatio = Math.max(worstRatio, ratio);
    flag(l, 'G1');
    return true;
  });

  // G2
  const g2Groups = opts.g2Groups ?? 8;
  const g2 = layers.filter((l) => l.conv !== undefined && l.conv.groups >= g2Groups);
  g2.forEach((l) => flag(l, 'G2'));
  const g2Bytes = g2.reduce((s, l) => s + l.macBytes, 0);
  const g2Flops = g2.reduce((s, l) => s + l.flops, 0);
  const maxGroups = Math.max(0, ...g2.map((l) => l.conv!.groups));

  // G3
  const kernels = layers.filter((l) => l.category !== 'view');
  const small = layers.filter(isSmallOp);
  const inUnit = (l: LayerCost) => units.some((u) => stepOf.get(l.nodeId)! >= u.first && stepOf.get(l.nodeId)! <= u.last);
  small.filter(inUnit).forEach((l) => flag(l, 'G3'));
  const maxBranches = Math.max(1, ...units.map((u) => u.branches));
  const perUnit = (n: number) => (units.length ? n / units.length : 0);

  // G4
  const elementwiseBytes = layers.filter((l) => l.category === 'elementwise').reduce((s, l) => s + l.macBytes, 0);
  const movementBytes = layers.filter((l) => l.category === 'movement').reduce((s, l) => s + l.macBytes, 0);
  small.forEach((l) => flag(l, 'G4'));

  const findings: GuidelineFinding[] = [
    {
      id: 'G1',
      title: 'equal channel width minimises MAC',
      flagged: g1.length,
      summary: g1.length
        ? `${g1.length} 1x1 conv(s) with c1:c2 >= ${g1Ratio} (worst ${worstRatio.toFixed(2)}): ${kb(g1Excess)} above the balanced optimum, ${pct(share(g1Excess, totalBytes))} of MAC`
        : `no 1x1 conv with c1:c2 >= ${g1Ratio}`,
      figures: { flagged: g1.length, worstRatio, excessBytes: g1Excess, excessShare: share(g1Excess, totalBytes) },
    },
    {
      id: 'G2',
      title: 'excessive group convolution increases MAC',
      flagged: g2.length,
      summary: g2.length
        ? `${g2.length} conv(s) with >= ${g2Groups} groups (max g = ${maxGroups}): ${pct(share(g2Bytes, totalBytes))} of MAC for ${pct(share(g2Flops, totalFlops))} of FLOPs`
        : `no conv with >= ${g2Groups} groups`,
      figures: { flagged: g2.length, maxGroups, macShare: share(g2Bytes, totalBytes), flopShare: share(g2Flops, totalFlops), macBytes: g2Bytes },
    },
    {
      id: 'G3',
      title: 'network fragmentation reduces parallelism',
      flagged: small.filter(inUnit).length,
      summary: `${units.length} unit(s) with up to ${maxBranches} parallel branches; ${kernels.length} kernels (${small.length} small element-wise/copy ops) = ${perUnit(kernels.length).toFixed(1)} kernels and ${perUnit(small.length).toFixed(1)} small ops per unit`,
      figures: { units: units.length, maxBranches, kernels: kernels.length, smallOps: small.length, kernelsPerUnit: perUnit(kernels.length), smallOpsPerUnit: perUnit(small.length) },
    },
    {
      id: 'G4',
      title: 'element-wise operations are non-negligible',
      flagged: small.length,
      summary: `element-wise and data-movement ops: ${pct(share(elementwiseBytes + movementBytes, totalBytes))} of MAC (element-wise ${pct(share(elementwiseBytes, totalBytes))}, copies ${pct(share(movementBytes, totalBytes))}) in ${small.length} op(s)`,
      figures: { ops: small.length, share: share(elementwiseBytes + movementBytes, totalBytes), elementwiseBytes, movementBytes, elementwiseShare: share(elementwiseBytes, totalBytes), movementShare: share(movementBytes, totalBytes) },
    },
  ];
  return { findings, flags };
}
