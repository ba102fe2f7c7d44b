import { expect } from 'chai';
import { ArenaAllocator } from '../../../compiler/plan/arena-allocator.ts';

describe('ArenaAllocator', () => {
  it('grows the arena only when no hole fits', () => {
    const a = new ArenaAllocator();
    expect(a.allocate(8)).to.equal(0);
    expect(a.allocate(4)).to.equal(8);
    a.free(0, 8);
    expect(a.allocate(4)).to.equal(0);
    expect(a.size).to.equal(12);
  });

  it('takes the smallest hole that fits (best fit)', () => {
    const a = new ArenaAllocator();
    [16, 4, 8, 4, 4].forEach((n) => a.allocate(n)); // 0..16, 16..20, 20..28, 28..32, 32..36
    a.free(0, 16);
    a.free(20, 8);
    expect(a.allocate(8)).to.equal(20);
    expect(a.allocate(8)).to.equal(0);
  });

  it('coalesces neighbouring holes so a larger request fits', () => {
    const a = new ArenaAllocator();
    [4, 4, 4, 4].forEach((n) => a.allocate(n));
    a.free(0, 4);
    a.free(8, 4);
    a.free(4, 4);
    expect(a.tryAllocate(12)).to.equal(0);
    expect(a.size).to.equal(16);
  });

  it('grows from a hole that touches the top by the shortfall only', () => {
    const a = new ArenaAllocator();
    [4, 8].forEach((n) => a.allocate(n));
    a.free(4, 8);
    expect(a.tryAllocate(12)).to.equal(undefined);
    expect(a.allocate(12)).to.equal(4);
    expect(a.size).to.equal(16);
  });

  it('rejects double frees', () => {
    const a = new ArenaAllocator();
    a.allocate(8);
    a.free(0, 4);
    expect(() => a.free(2, 4)).to.throw(/double free/);
  });
});
