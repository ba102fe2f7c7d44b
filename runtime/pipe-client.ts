// Request/response over a child process's pipes: each request writes bytes to stdin and resolves with the next
// `replyBytes` bytes of stdout, in order. The child is unref'd between requests, so a forgotten dispose() never
// keeps Node alive, and it exits by itself when its stdin closes (our exit included).

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

interface Pending {
  readonly bytes: number;
  resolve(reply: Uint8Array): void;
  reject(err: Error): void;
}

export class PipeClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Pending[] = [];
  private received: Buffer = Buffer.alloc(0);
  private stderr = '';
  private failure: Error | undefined;
  private disposed = false;

  constructor(command: readonly string[], private readonly label: string) {
    const [cmd, ...args] = command;
    this.child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.hold(false);
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-2000)));
    this.child.on('error', (e) => this.fail(new Error(`${label}: cannot start ${cmd}: ${e.message}`)));
    this.child.on('exit', (code, signal) => {
      if (!this.disposed || this.pending.length) this.fail(new Error(`${label} exited (${signal ?? code})${this.stderr ? ': ' + this.stderr.trim() : ''}`));
    });
    this.child.stdin.on('error', () => undefined); // reported through 'exit'
  }

  /** Resolves with the reply in a fresh, 8-byte aligned buffer of its own (view it as floats or doubles at will). */
  request(data: Uint8Array, replyBytes: number): Promise<Uint8Array> {
    if (this.disposed) return Promise.reject(new Error(`${this.label} was disposed`));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.push({ bytes: replyBytes, resolve, reject });
      this.hold(true);
      this.child.stdin.write(data);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.child.stdin.end();
  }

  private onData(chunk: Buffer): void {
    this.received = this.received.length ? Buffer.concat([this.received, chunk]) : chunk;
    while (this.pending.length && this.received.length >= this.pending[0].bytes) {
      const p = this.pending.shift()!;
      const reply = new Uint8Array(p.bytes);
      reply.set(this.received.subarray(0, p.bytes));
      p.resolve(reply);
      this.received = this.received.subarray(p.bytes);
    }
    if (!this.pending.length) this.hold(false);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.splice(0)) p.reject(this.failure);
    this.hold(false);
  }

  /** Keeps the event loop alive only while a request is in flight. */
  private hold(active: boolean): void {
    if (active) this.child.ref();
    else this.child.unref();
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr] as unknown as { ref?(): void; unref?(): void }[]) (active ? s.ref : s.unref)?.call(s);
  }
}
