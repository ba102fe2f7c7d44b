// The interpreter's row-major walk: every view (permuted, strided, broadcast, reduced) follows it with one add per
// element, so the carried offset must equal the dot product of index and steps at every position.

import { expect } from 'chai';
import { carrySteps, Odometer } from '../../../compiler/interpreter/tensor.ts';

describe('interpreter Odometer and carrySteps', () => {
  const cases: [string, number[], number[]][] = [
    ['transposed view', [2, 3, 4], [1, 8, 2]],
    ['broadcast axis (step 0) and a negative step', [3, 1, 5, 2], [0, 7, -2, 30]],
    ['one axis', [6], [3]],
    ['size-1 axes', [1, 4, 1], [5, 1, 9]],
  ];
  for (const [what, shape, step] of cases) {
    it(`${what}: the carried offset is index . step at every position, and -1 ends the walk`, () => {
      const walk = new Odometer(shape);
      const carry = carrySteps(shape, step);
      const count = shape.reduce((a, b) => a * b, 1);
      let offset = 0;
      for (let n = 0; n < count; n++) {
        expect(offset, `position ${walk.index}`).to.equal(walk.index.reduce((s, i, k) => s + i * step[k], 0));
        const axis = walk.next();
        if (n === count - 1) expect(axis).to.equal(-1);
        else offset += carry[axis];
      }
      expect(walk.index.every((i) => i === 0)).to.equal(true);
    });
  }

  it('a rank-0 walk has one position', () => {
    expect(new Odometer([]).next()).to.equal(-1);
    expect(carrySteps([], [])).to.deep.equal([]);
  });
});
