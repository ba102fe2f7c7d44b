import { expect } from 'chai';
import { channelSelection, planSelections, shuffleOrder } from '../../../compiler/passes/channel-selection.ts';

/** [N,C,H,W] iota, then channels picked by hand (what a movement chain would compute). */
function picked(shape: number[], pick: number[]): { type: { dtype: 'i64'; shape: number[] }; data: Float64Array } {
  const [n, c, h, w] = shape;
  const plane = h * w;
  const data = new Float64Array(n * pick.length * plane);
  for (let b = 0; b < n; b++) pick.forEach((ch, k) => { for (let p = 0; p < plane; p++) data[(b * pick.length + k) * plane + p] = (b * c + ch) * plane + p; });
  return { type: { dtype: 'i64', shape: [n, pick.length, h, w] }, data };
}

describe('channel selections', () => {
  it('orders channels like reshape [G, C/G] -> transpose -> reshape', () => {
    expect(shuffleOrder(6, 2)).to.deep.equal([0, 3, 1, 4, 2, 5]);
    expect(shuffleOrder(8, 4)).to.deep.equal([0, 2, 4, 6, 1, 3, 5, 7]);
  });

  it('reads a selection back from an iota result, at any batch size', () => {
    expect(channelSelection(picked([3, 5, 2, 2], [4, 0, 0]), [3, 5, 2, 2])).to.deep.equal([4, 0, 0]);
  });

  it('refuses results that move data inside planes or across batch items', () => {
    const swapped = picked([1, 2, 1, 2], [0, 1]);
    swapped.data.set([1, 0], 0);
    expect(channelSelection(swapped, [1, 2, 1, 2])).to.equal(undefined);
    const crossBatch = picked([2, 2, 1, 1], [0, 1]);
    crossBatch.data.set([2, 3, 0, 1]);
    expect(channelSelection(crossBatch, [2, 2, 1, 1])).to.equal(undefined);
  });

  it("plans Megvii's even/odd halves as one shuffle of C/2 groups and one split", () => {
    expect(planSelections(8, [[0, 2, 4, 6], [1, 3, 5, 7]])).to.deep.equal([{ groups: 4, pieces: [4, 4], members: [0, 1], parts: [[0], [1]] }]);
    // torch.chunk of a shuffled value: the same shuffle, then halves
    expect(planSelections(6, [[0, 3, 1], [4, 2, 5]])).to.deep.equal([{ groups: 2, pieces: [3, 3], members: [0, 1], parts: [[0], [1]] }]);
  });

  it('gives each selection the shuffle that suits it, contiguous ranges none', () => {
    expect(planSelections(6, [[0, 1, 2, 3, 4, 5], [0, 3, 1, 4, 2, 5], [2, 3]])).to.deep.equal([
      { groups: 1, pieces: [2, 2, 2], members: [0, 2], parts: ['all', [1]] },
      { groups: 2, pieces: [6], members: [1], parts: ['all'] },
    ]);
  });
});
