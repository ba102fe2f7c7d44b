// Channel selections: the pure arithmetic behind channel-shuffle recognition, kept apart from graph plumbing.
//
// A selection is a list `pick` with out[n, c, h, w] = in[n, pick[c], h, w]. Given the selections a chain of
// movement ops computes from one [N,C,H,W] value, `planSelections` finds the cheapest way to express all of
// them with the ops the planar layout treats as views: at most one channelShuffle, then one split along the
// channels, then concats of adjacent-or-not split pieces. Every channel selection can be written this way
// (in the worst case one piece per channel), so recognition never has to give up on a channel permutation.

import type { Tensor } from '../interpreter/tensor.ts';

/**
 * The selection `t` makes of a value shaped `shape` = [N,C,H,W], when `t` holds the result of running a chain
 * on an iota input (element i = its own flat index); undefined when `t` mixes anything but whole channels.
 */
export function channelSelection(t: Tensor, shape: readonly number[]): number[] | undefined {
  const [n, c, h, w] = shape;
  const out = t.type.shape;
  if (out.length !== 4 || out[0] !== n || out[1] === 0 || out[2] !== h || out[3] !== w) return undefined;
  const plane = h * w;
  const channels = out[1];
  const pick: number[] = [];
  for (let k = 0; k < channels; k++) {
    const first = t.data[k * plane];
    const src = first / plane;
    if (!Number.isInteger(src) || src < 0 || src >= c) return undefined;
    pick.push(src);
  }
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < channels; k++) {
      const from = (b * c + pick[k]) * plane;
      const to = (b * channels + k) * plane;
      for (let p = 0; p < plane; p++) if (t.data[to + p] !== from + p) return undefined;
    }
  }
  return pick;
}

/** Output channel j of channelShuffle(groups) on `channels` channels reads input channel order[j]. */
export function shuffleOrder(channels: number, groups: number): number[] {
  const per = channels / groups;
  const order = new Array<number>(channels);
  for (let g = 0; g < groups; g++) for (let i = 0; i < per; i++) order[i * groups + g] = g * per + i;
  return order;
}

export interface SelectionPlan {
  /** channelShuffle groups applied first, or 1 for none. */
  readonly groups: number;
  /** Split sizes along the channels of the (shuffled) value; a single entry means no split. */
  readonly pieces: readonly number[];
  /** Indices (into the planned selections) of the selections this plan computes. */
  readonly members: readonly number[];
  /** Per member, the pieces to concatenate in order (one entry: the piece itself), or 'all': the whole
   * (shuffled) value, unsplit. */
  readonly parts: readonly (readonly number[] | 'all')[];
}

/** Split `pick` into maximal runs of channels that sit next to each other in the order given by `position`. */
function runsIn(position: readonly number[], pick: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const ch of pick) {
    const at = position[ch];
    const last = runs[runs.length - 1];
    if (last && last[1] === at) last[1] = at + 1;
    else runs.push([at, at + 1]);
  }
  return runs;
}

/** The pieces and concats computing the `members` of `picks` from channelShuffle(groups), and what they cost. */
function planFor(channels: number, groups: number, picks: readonly (readonly number[])[], members: readonly number[]): { plan: SelectionPlan; cost: number } {
  const order = groups === 1 ? [...Array(channels).keys()] : shuffleOrder(channels, groups);
  const position = new Array<number>(channels);
  order.forEach((ch, i) => (position[ch] = i));
  const runs = members.map((m) => runsIn(position, picks[m]));
  const isAll = (rs: [number, number][]) => rs.length === 1 && rs[0][0] === 0 && rs[0][1] === channels;
  const cuts = new Set<number>([0, channels]);
  for (const r of runs.filter((rs) => !isAll(rs)).flat()) cuts.add(r[0]).add(r[1]);
  const bounds = [...cuts].sort((a, b) => a - b);
  const pieces = bounds.slice(1).map((end, i) => end - bounds[i]);
  const pieceAt = new Map(bounds.map((b, i) => [b, i]));
  /** The pieces covering channels [from, to) of the ordered value. */
  const piecesIn = ([from, to]: [number, number]): number[] => {
    const ids: number[] = [];
    for (let i = pieceAt.get(from)!; bounds[i] < to; i++) ids.push(i);
    return ids;
  };
  const parts = runs.map((rs) => (isAll(rs) ? ('all' as const) : rs.flatMap(piecesIn)));
  // Cost in emitted nodes and operands: a shuffle, the split's outputs, each concat's inputs.
  const cost = (groups > 1 ? 1 : 0) + (pieces.length > 1 ? pieces.length : 0) + parts.reduce((s, p) => s + (p !== 'all' && p.length > 1 ? p.length : 0), 0);
  return { plan: { groups, pieces, members, parts }, cost };
}

/** Group counts worth trying: 1 (no shuffle) and every proper divisor of the channel count. */
function candidateGroups(channels: number): number[] {
  const out = [1];
  for (let g = 2; g < channels; g++) if (channels % g === 0) out.push(g);
  return out;
}

/**
 * How to compute each selection of `channels` channels: every selection takes the shuffle that suits it best
 * (fewest pieces), and selections wanting the same shuffle share it and one split (Megvii's two halves).
 */
export function planSelections(channels: number, picks: readonly (readonly number[])[]): SelectionPlan[] {
  const candidates = candidateGroups(channels);
  const byGroups = new Map<number, number[]>();
  picks.forEach((_, m) => {
    let best = { groups: 1, cost: Infinity };
    for (const groups of candidates) {
      const { cost } = planFor(channels, groups, picks, [m]);
      if (cost < best.cost) best = { groups, cost };
    }
    byGroups.set(best.groups, [...(byGroups.get(best.groups) ?? []), m]);
  });
  return [...byGroups].map(([groups, members]) => planFor(channels, groups, picks, members).plan);
}
