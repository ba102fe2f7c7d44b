// The top-k classes of a row of logits, with names when the model's classes have them (ImageNet for
// 1000-class models, or a labels file).

export interface RankedClass {
  readonly index: number;
  /** The class name, when labels are known. */
  readonly label?: string;
  readonly logit: number;
  /** Softmax over the whole row. */
  readonly probability: number;
}

/** The `k` highest logits of `row`, best first (ties: lower index first). */
export function topClasses(row: Float32Array, k: number, labels?: readonly string[]): RankedClass[] {
  let max = -Infinity;
  for (const x of row) max = Math.max(max, x);
  let total = 0;
  for (const x of row) total += Math.exp(x - max);
  const order = Array.from(row.keys()).sort((a, b) => row[b] - row[a] || a - b);
  return order.slice(0, Math.max(1, Math.min(k, row.length))).map((index) => ({
    index,
    ...(labels ? { label: labels[index] } : {}),
    logit: row[index],
    probability: Math.exp(row[index] - max) / total,
  }));
}
