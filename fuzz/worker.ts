// The fuzz worker: runs cases on request, one at a time, so the campaign can stop a hung case (terminate) and
// notice an out-of-memory death (the worker's heap limit) without losing the main process.

import { parentPort } from 'node:worker_threads';
import { runCase } from './run-case.ts';

parentPort!.on('message', async ({ format, seed, iteration }: { format: string; seed: number; iteration: number }) => {
  parentPort!.postMessage(await runCase(format, seed, iteration));
});
