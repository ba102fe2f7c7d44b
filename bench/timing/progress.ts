// A one-line progress indicator for long benchmarks, redrawn in place on a terminal and silent elsewhere
// (pipes, CI logs and --json output stay clean). It writes to stderr so stdout carries only results.

export interface Progress {
  update(done: number, total: number, what: string): void;
  done(): void;
}

const SILENT: Progress = { update: () => undefined, done: () => undefined };

/** Redraws at most every 100 ms; `stream` defaults to stderr and must be a TTY for anything to show. */
export function progressLine(stream: NodeJS.WriteStream = process.stderr, label = 'bench'): Progress {
  // SNV2C_STDERR_TTY: the CLI runs in a child whose stderr is piped through a filter to a terminal (bin/dawn-quiet.mjs).
  if (!stream.isTTY && !(stream === process.stderr && process.env.SNV2C_STDERR_TTY)) return SILENT;
  let last = 0;
  let shown = false;
  return {
    update(done, total, what) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      shown = true;
      const width = Math.max(20, (stream.columns || 80) - 1);
      stream.write(`\r${`${label}: ${what} ${done}/${total}`.slice(0, width).padEnd(width)}`);
    },
    done() {
      if (shown) stream.write(`\r${' '.repeat(Math.max(20, (stream.columns || 80) - 1))}\r`);
      shown = false;
    },
  };
}
