// Warnings on the command line. A failing command prints exactly one line (the error), so warnings are held
// until the command has succeeded and then printed; `--verbose` prints them as they happen instead (and so also
// before an error, for whoever wants the whole story).

let verbose = false;
const held: string[] = [];

export function setVerboseWarnings(on: boolean): void {
  verbose = on;
}

/** The `warn` every command hands the library: one message, one stderr line, prefixed "warning: ". */
export function warnLine(message: string): void {
  const line = `warning: ${message.replace(/[\r\n]+/g, ' ')}\n`;
  if (verbose) process.stderr.write(line);
  else held.push(line);
}

/** After success: print what was held. */
export function flushWarnings(): void {
  for (const line of held.splice(0)) process.stderr.write(line);
}

/** After a failure: the error line is all the user gets. */
export function dropWarnings(): void {
  held.length = 0;
}
