// Dawn (the WebGPU implementation the `webgpu` package brings to Node) prints its own warnings from native code
// straight to the process's stderr: the Vulkan loader it could not find, limits it lowered for Mesa's GLES.
// JavaScript cannot intercept a native write, so a command that may start Dawn runs in a child process whose
// stderr passes through here: Dawn's warning blocks are dropped, everything else goes through as it comes.
// SNV2C_DAWN_LOG=1 shows them (for reporting a driver problem).
import { spawn } from 'node:child_process';

// A Dawn warning: "Warning: <message>", then indented "at ..." / " - While ..." lines and one blank line.
const WARNING = 'Warning: ';
const CONTINUATION = /^(\s+at |\s*- |\s*$)/;

/** Whether `args` (the command line after `snv2c`) may load Dawn: a wgsl target, or a compiled folder to verify. */
export function mayStartDawn(args) {
  return args[0] === 'verify' || args.some((a) => a === 'wgsl' || a.endsWith('=wgsl'));
}

/** Copies `from` to `to`, without Dawn's warning blocks; partial lines that cannot start one pass at once. */
function filterDawnWarnings(from, to) {
  let pending = '';
  let inWarning = false;
  const emit = (line) => {
    if (line.startsWith(WARNING)) inWarning = true;
    else if (!(inWarning && CONTINUATION.test(line))) {
      inWarning = false;
      to.write(line + '\n');
    }
  };
  from.setEncoding('utf8');
  from.on('data', (chunk) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    lines.forEach(emit);
    // A progress line redraws with "\r" and no newline: let it through unless it could be a warning's start.
    if (pending && !inWarning && !WARNING.startsWith(pending.slice(0, WARNING.length)) && !pending.startsWith(WARNING)) {
      to.write(pending);
      pending = '';
    }
  });
  from.on('end', () => pending && emit(pending));
}

/** Runs this same entry point again with `args` in a child whose stderr is filtered; resolves to its exit code. */
export function runQuietly(entry, args) {
  const child = spawn(process.execPath, [...process.execArgv, entry, ...args], {
    stdio: ['inherit', 'inherit', 'pipe'],
    env: { ...process.env, SNV2C_DAWN_QUIET: '1', ...(process.stderr.isTTY ? { SNV2C_STDERR_TTY: '1' } : {}) },
  });
  filterDawnWarnings(child.stderr, process.stderr);
  // Ctrl-C reaches both processes from a terminal; a signal sent to this one alone is passed on.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}
