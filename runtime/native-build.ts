// Builds an emitted C model plus the harness into an executable, cached by content hash: the key covers the
// model's sources, the harness, the compiler command and flags, so any change rebuilds and nothing stale runs.
// `neon` on a non-ARM host cross-compiles with aarch64-linux-gnu-gcc and runs under qemu-aarch64.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { harnessSource } from './native-harness.ts';
import { pthreadPoolSource } from './native-pool.ts';

export type NativeTarget = 'c' | 'neon';

export interface NativeBuildOptions {
  /** Folder holding `<name>.h`, `<name>.c` and the other emitted .c files. */
  readonly dir: string;
  readonly name: string;
  readonly target?: NativeTarget;
  /** C compiler (default: $CC or cc; aarch64-linux-gnu-gcc for neon on a non-ARM host). */
  readonly cc?: string;
  /** Flags replacing the default optimisation flags (-O3 -march=native for the host, -O3 when cross-compiling). */
  readonly cflags?: readonly string[];
  /** Flags added after the optimisation flags (e.g. -DSNV2C_PROFILE for an instrumented build). */
  readonly extraFlags?: readonly string[];
  /** A main() replacing the pipe-serving harness (benchmarks time inside it); part of the cache key. */
  readonly harness?: string;
  /** Cache folder (default: $SNV2C_CACHE_DIR, $XDG_CACHE_HOME/snv2c or ~/.cache/snv2c). */
  readonly cacheDir?: string;
  /** Threads per inference (default 1): more runs `<name>_run_parallel` on the POSIX pool of `<name>_pthreads.c`. */
  readonly threads?: number;
}

export interface NativeExecutable {
  /** Command and arguments that start the harness (qemu first when emulated). */
  readonly command: readonly string[];
  readonly cached: boolean;
}

export function defaultCacheDir(): string {
  const env = process.env;
  if (env.SNV2C_CACHE_DIR) return env.SNV2C_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir() || tmpdir(), '.cache'), 'snv2c');
}

const isArmHost = () => process.arch === 'arm64';

export function buildNativeHarness(opts: NativeBuildOptions): NativeExecutable {
  const target = opts.target ?? 'c';
  const cross = target === 'neon' && !isArmHost();
  const cc = opts.cc ?? (cross ? 'aarch64-linux-gnu-gcc' : process.env.CC || 'cc');
  // The harness runs on the machine that builds it, so it may use every instruction this CPU has: the emitted
  // C picks its AVX2/AVX-512 tiles from the compiler's own macros and falls back to portable C without them.
  const threads = opts.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer (got ${threads})`);
  // `<name>_selftest.c` (compile --golden) has a main() of its own: the harness brings its own.
  const selftest = `${opts.name}_selftest.c`;
  const sources = readdirSync(opts.dir).filter((f) => (f.endsWith('.c') || f.endsWith('.h')) && f !== selftest).sort();
  // The pool comes from the folder when it was compiled with --pthreads, else from this runtime.
  const poolFile = `${opts.name}_pthreads.c`;
  const extra: [string, string][] = [['snv2c_harness_main.c', opts.harness ?? harnessSource(opts.name, threads)]];
  if (threads > 1 && !sources.includes(poolFile)) extra.push([poolFile, pthreadPoolSource(opts.name)]);
  const pooled = threads > 1 || sources.includes(poolFile);
  const flags = ['-std=c99', ...(opts.cflags ?? (cross ? ['-O3'] : ['-O3', '-march=native'])), ...(opts.extraFlags ?? []), ...(pooled ? ['-pthread'] : [])];
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ cc, flags, target, cross, name: opts.name, threads }));
  for (const [f, text] of extra) hash.update(`\0${f}\0`).update(text);
  for (const f of sources) hash.update(`\0${f}\0`).update(readFileSync(join(opts.dir, f)));
  const key = hash.digest('hex').slice(0, 32);
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const finalDir = join(cacheDir, key);
  const exe = join(finalDir, 'harness');
  const command = (cached: boolean): NativeExecutable => ({ command: cross ? ['qemu-aarch64', '-L', '/usr/aarch64-linux-gnu', exe] : [exe], cached });
  if (existsSync(exe)) return command(true);

  // Build in a private folder, then rename: concurrent builders never see a half-written executable.
  mkdirSync(cacheDir, { recursive: true });
  const work = join(cacheDir, `${key}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(work, { recursive: true });
  try {
    for (const f of sources) writeFileSync(join(work, f), readFileSync(join(opts.dir, f)));
    for (const [f, text] of extra) writeFileSync(join(work, f), text);
    const cFiles = [...sources.filter((f) => f.endsWith('.c')), ...extra.map(([f]) => f)];
    const result = spawnSync(cc, [...flags, '-o', 'harness', ...cFiles], { cwd: work, encoding: 'utf8' });
    if (result.error) {
      const hint = cross ? 'apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user' : 'apt-get install gcc (or set CC)';
      throw new Error(`cannot run C compiler ${JSON.stringify(cc)} (${result.error.message}); install it: ${hint}`);
    }
    if (result.status !== 0) throw new Error(`${cc} failed building ${opts.name}:\n${(result.stderr || '').slice(0, 4000)}`);
    try {
      renameSync(work, finalDir);
    } catch (e) {
      // Another process won the race with an identical build.
      if (!existsSync(exe)) throw e;
    }
  } finally {
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
  return command(false);
}
