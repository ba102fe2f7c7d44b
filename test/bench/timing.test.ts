// The timing core (bench/timing): order statistics, warm-up and interleaving of contenders, the per-call overhead
// apart from the model's own time, and stopping at a call boundary when aborted. Fake contenders report fixed
// times, so nothing here depends on the machine's speed.

import { expect } from 'chai';
import { BenchAborted, sample, type Contender } from '../../bench/timing/sampler.ts';
import { imagesPerSecond, percentile, summarize } from '../../bench/timing/statistics.ts';

function fake(label: string, times: number[], log: string[], model?: (t: number) => number): Contender {
  let i = 0;
  return {
    label,
    call: async () => {
      log.push(label);
      const totalMs = times[i++ % times.length];
      return model ? { totalMs, modelMs: model(totalMs) } : { totalMs };
    },
  };
}

describe('bench timing core', () => {
  it('summarises with nearest-rank order statistics', () => {
    const s = summarize([5, 1, 4, 2, 3, 10, 9, 8, 7, 6]);
    expect(s).to.deep.equal({ runs: 10, minMs: 1, medianMs: 5, p90Ms: 9 });
    expect(percentile([7], 0.9)).to.equal(7);
    expect(summarize([]).medianMs).to.be.NaN;
    expect(imagesPerSecond(4, 1)).to.equal(250);
    expect(imagesPerSecond(4, 8)).to.equal(2000);
  });

  it('warms up untimed, then interleaves contenders in alternating order', async () => {
    const log: string[] = [];
    const [a, b] = await sample([fake('a', [100, 100, 1, 2, 3], log), fake('b', [50, 50, 4, 5, 6], log)], { warmup: 2, runs: 3 });
    expect(log).to.deep.equal(['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a', 'a', 'b']);
    // The warm-up calls (100 and 50 ms) are not in the figures.
    expect(a.total).to.deep.equal({ runs: 3, minMs: 1, medianMs: 2, p90Ms: 3 });
    expect(b.total.medianMs).to.equal(5);
    expect(a.model).to.equal(undefined);
  });

  it('runs contenders in blocks of calls when asked, alternating the order of the blocks', async () => {
    const log: string[] = [];
    const [a, b] = await sample([fake('a', [100, 1, 2, 3, 4, 5], log), fake('b', [50, 6, 7, 8, 9, 10], log)], { warmup: 1, runs: 4, block: 2 });
    expect(log.join('')).to.equal('aabbbbaaab');
    // The first call of each contender is its warm-up, whichever block it falls in.
    expect(a.total.runs).to.equal(4);
    expect(a.total.minMs).to.equal(1);
    expect(b.total.minMs).to.equal(6);
  });

  it('reports the per-call overhead apart from the model time', async () => {
    const [r] = await sample([fake('native', [10, 11, 12, 13], [], (t) => t - 0.5 - (t % 2) * 0.25)], { warmup: 0, runs: 4 });
    expect(r.model!.medianMs).to.equal(10.25); // models 9.5, 10.25, 11.5, 12.25
    expect(r.overheadMs).to.be.closeTo(0.5, 1e-12);
  });

  it('summarises CPU times when every call reports one', async () => {
    let i = 0;
    const c: Contender = { label: 'c', call: async () => ({ totalMs: 10, modelMs: 9, cpuMs: [4, 5, 6][i++ % 3] }) };
    const [r] = await sample([c], { warmup: 0, runs: 3 });
    expect(r.cpu).to.deep.equal({ runs: 3, minMs: 4, medianMs: 5, p90Ms: 6 });
  });

  it('stops at the next call boundary once aborted', async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const c = fake('a', [1], log);
    const aborting: Contender = { label: 'a', call: async () => (log.length === 3 && controller.abort(), c.call()) };
    let error: unknown;
    await sample([aborting], { warmup: 1, runs: 100, signal: controller.signal }).catch((e) => (error = e));
    expect(error).to.be.instanceOf(BenchAborted);
    expect(log).to.have.length(4);
  });

  it('tells the progress line how far it got, and clears it', async () => {
    const updates: string[] = [];
    let cleared = false;
    await sample([fake('a', [1], [])], { warmup: 1, runs: 2, progress: { update: (d, t, what) => updates.push(`${d}/${t} ${what}`), done: () => (cleared = true) } });
    expect(updates).to.deep.equal(['1/3 warming up', '2/3 timing a', '3/3 timing a']);
    expect(cleared).to.equal(true);
  });
});
