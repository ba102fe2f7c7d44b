// A campaign: iterations 0..N-1 of one format under one seed, each case in a worker thread with a 30 s watchdog
// and a heap limit. A hang or an out-of-memory death is recorded against its case and a fresh worker takes over.

import { Worker } from 'node:worker_threads';
import type { CaseOutcome } from './run-case.ts';

export const CASE_TIMEOUT_MS = 30_000;
const HEAP_LIMIT_MB = 4096;

export interface CampaignResult {
  readonly format: string;
  readonly seed: number;
  readonly counts: Record<'ok' | 'refused' | 'finding' | 'hang' | 'oom', number>;
  /** Findings, hangs and out-of-memory deaths, in iteration order. */
  readonly problems: readonly (CaseOutcome & { kind: 'finding' | 'hang' | 'oom' })[];
  readonly seconds: number;
}

function startWorker(): Worker {
  // Workers do not inherit a loader registered by the parent: register tsx first, then load the TypeScript worker.
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./worker.ts', import.meta.url).href)}); });`;
  return new Worker(boot, { eval: true, resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB } });
}

function runOne(worker: Worker, format: string, seed: number, iteration: number): Promise<CaseOutcome | 'hang' | 'oom'> {
  return new Promise((resolve) => {
    const done = (value: CaseOutcome | 'hang' | 'oom') => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve(value);
    };
    const onMessage = (outcome: CaseOutcome) => done(outcome);
    const onError = (e: Error & { code?: string }) => done(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'oom' : { iteration, verdict: 'finding', mutation: '?', message: `worker died: ${e.message}` });
    const onExit = () => done({ iteration, verdict: 'finding', mutation: '?', message: 'worker exited' });
    const timer = setTimeout(() => done('hang'), CASE_TIMEOUT_MS);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.postMessage({ format, seed, iteration });
  });
}

export async function runCampaign(format: string, seed: number, iterations: number, first = 0, progress?: (done: number) => void): Promise<CampaignResult> {
  const start = performance.now();
  const counts = { ok: 0, refused: 0, finding: 0, hang: 0, oom: 0 };
  const problems: CampaignResult['problems'][number][] = [];
  let worker = startWorker();
  try {
    for (let i = first; i < first + iterations; i++) {
      const outcome = await runOne(worker, format, seed, i);
      if (outcome === 'hang' || outcome === 'oom') {
        counts[outcome]++;
        problems.push({ iteration: i, verdict: 'finding', mutation: '?', kind: outcome, message: outcome === 'hang' ? `no answer in ${CASE_TIMEOUT_MS / 1000} s` : `heap over ${HEAP_LIMIT_MB} MB` });
        await worker.terminate();
        worker = startWorker();
      } else {
        counts[outcome.verdict]++;
        if (outcome.verdict === 'finding') {
          problems.push({ ...outcome, kind: 'finding' });
          // A worker that cannot start is the harness's failure, not the product's: stop instead of repeating it.
          if (outcome.message?.startsWith('worker died') && outcome.message.includes('worker.ts')) throw new Error(outcome.message);
          if (outcome.message === 'worker exited' || outcome.message?.startsWith('worker died')) worker = startWorker();
        }
      }
      progress?.(i - first + 1);
    }
  } finally {
    await worker.terminate();
  }
  return { format, seed, counts, problems, seconds: (performance.now() - start) / 1000 };
}
