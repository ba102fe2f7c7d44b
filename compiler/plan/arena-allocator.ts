// A free-list allocator over one arena that only grows: holes are kept sorted and coalesced on free, a request
// takes the smallest hole that fits (best fit keeps large holes whole for the large planes of early layers), and
// the arena grows only when no hole fits — then starting inside a hole that touches the top, so growth is
// exactly the shortfall.

interface Hole {
  start: number;
  end: number;
}

export class ArenaAllocator {
  /** Free intervals below `top`, sorted by start, never adjacent (coalesced). */
  private readonly holes: Hole[] = [];
  /** High-water mark: the arena size needed so far. */
  private top = 0;

  get size(): number {
    return this.top;
  }

  /** Best-fit placement inside an existing hole, without growing the arena; undefined when none fits. */
  tryAllocate(size: number): number | undefined {
    let best = -1;
    for (let i = 0; i < this.holes.length; i++) {
      const len = this.holes[i].end - this.holes[i].start;
      if (len >= size && (best < 0 || len < this.holes[best].end - this.holes[best].start)) best = i;
    }
    if (best < 0) return undefined;
    const hole = this.holes[best];
    const start = hole.start;
    hole.start += size;
    if (hole.start === hole.end) this.holes.splice(best, 1);
    return start;
  }

  /** Best fit, else grow the arena (reusing a hole that ends at the top). */
  allocate(size: number): number {
    const inHole = this.tryAllocate(size);
    if (inHole !== undefined) return inHole;
    const last = this.holes[this.holes.length - 1];
    if (last && last.end === this.top) {
      this.holes.pop();
      this.top = last.start + size;
      return last.start;
    }
    const start = this.top;
    this.top += size;
    return start;
  }

  free(start: number, size: number): void {
    const end = start + size;
    if (size <= 0) return;
    if (start < 0 || end > this.top) throw new Error(`internal: free of [${start}, ${end}) outside the arena of ${this.top}`);
    // First hole starting at or after `end` (binary search: holes are sorted).
    let lo = 0;
    let hi = this.holes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.holes[mid].start < end) lo = mid + 1;
      else hi = mid;
    }
    const prev = this.holes[lo - 1];
    const next = this.holes[lo];
    if (prev && prev.end > start) throw new Error(`internal: double free of [${start}, ${end})`);
    if (next && next.start < end) throw new Error(`internal: double free of [${start}, ${end})`);
    const joinPrev = prev !== undefined && prev.end === start;
    const joinNext = next !== undefined && next.start === end;
    if (joinPrev && joinNext) {
      prev.end = next.end;
      this.holes.splice(lo, 1);
    } else if (joinPrev) {
      prev.end = end;
    } else if (joinNext) {
      next.start = start;
    } else {
      this.holes.splice(lo, 0, { start, end });
    }
  }
}
