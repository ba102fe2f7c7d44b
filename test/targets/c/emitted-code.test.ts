// Properties of the emitted C itself: no allocation, I/O or libc calls; byte-identical output for the same
// input; untrusted names (model name, node origins) cannot inject code; view nodes emit no code.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CompileError } from '../../../compiler/ir/errors.ts';
import { GraphBuilder } from '../../../compiler/ir/graph-builder.ts';
import type { Graph } from '../../../compiler/ir/types.ts';
import { planMemory } from '../../../compiler/plan/plan-memory.ts';
import type { Artifact } from '../../../compiler/target.ts';
import { emitCModel } from '../../../targets/c/emit-model.ts';
import { commentText, validateModelName } from '../../../targets/c/names.ts';
import { compiledGraph, manifest, scratchDir, STRICT_FLAGS, writeArtifacts } from './support.ts';

const text = (a: Artifact) => (typeof a.contents === 'string' ? a.contents : Buffer.from(a.contents).toString('latin1'));
const FORBIDDEN = /\b(malloc|calloc|realloc|free|alloca|fopen|fclose|fread|fwrite|printf|fprintf|sprintf|snprintf|puts|putchar|getchar|exit|abort|memcpy|memset|system|sqrtf?|expf?)\s*\(/;

/** Code lines of a C file, with comments and string literals blanked (the weight blob is a string). */
function codeOnly(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
}

function hostileGraph(origin: string): Graph {
  const b = new GraphBuilder();
  const x = b.addValue('x */ int evil;', { dtype: 'f32', shape: [1, 2, 3, 3] });
  b.inputs = [x];
  const w = b.addConst('w', [2, 2, 1, 1], new Float32Array([1, 2, 3, 4]));
  const y = b.addNode({ kind: 'conv2d', kernel: [1, 1], stride: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], groups: 1, activation: 'relu' }, [x, w], origin)[0];
  const z = b.addNode({ kind: 'globalAvgPool' }, [y], origin + '\n#include <stdio.h>')[0];
  b.outputs = [b.addNode({ kind: 'reshape', shape: [1, 2] }, [z], '??/ \\')[0]];
  return b.build();
}

describe('emitted C', function () {
  this.timeout(120_000);
  const fixture = manifest.fixtures.find((f) => f.name.startsWith('tv_odd')) ?? manifest.fixtures[0];
  const graph = compiledGraph(fixture);

  it('calls no allocator, no I/O and no libc function, and includes only freestanding headers', () => {
    for (const neon of [false, true]) {
      for (const a of emitCModel(graph, planMemory(graph), { name: 'net', neon }).artifacts) {
        const code = codeOnly(text(a));
        expect(code, a.path).not.to.match(FORBIDDEN);
        const includes = [...text(a).replace(/\/\*[\s\S]*?\*\//g, ' ').matchAll(/#\s*include\s*([<"][^>"]*[>"])/g)].map((m) => m[1]);
        // Compiler-provided intrinsic headers (no libc behind them) are fine.
        for (const inc of includes) expect(['<stdint.h>', '<arm_neon.h>', '<immintrin.h>', '"net.h"']).to.include(inc);
      }
    }
  });

  it('the scan itself catches a forbidden call', () => {
    expect(codeOnly('static void f(void) { float *p = malloc(4); /* free( */ }')).to.match(FORBIDDEN);
    expect(codeOnly('/* printf( */ static const char s[] = "fopen(";')).not.to.match(FORBIDDEN);
  });

  it('is byte-identical when compiled twice', () => {
    const first = emitCModel(graph, planMemory(graph), { name: 'net', neon: true }).artifacts;
    const again = emitCModel(compiledGraph(fixture), planMemory(compiledGraph(fixture)), { name: 'net', neon: true }).artifacts;
    expect(again.map((a) => a.path)).to.deep.equal(first.map((a) => a.path));
    again.forEach((a, i) => expect(Buffer.compare(Buffer.from(text(a), 'latin1'), Buffer.from(text(first[i]), 'latin1')), a.path).to.equal(0));
  });

  it('emits no kernel for split, concat and channel shuffle', () => {
    const source = text(emitCModel(graph, planMemory(graph), { name: 'net', neon: false }).artifacts.find((a) => a.path === 'net.c')!);
    const views = graph.nodes.filter((n) => ['split', 'concat', 'channelShuffle'].includes(n.op.kind));
    expect(views.length).to.be.greaterThan(0);
    for (const n of views) expect(source).not.to.match(new RegExp(`static void net_k${n.id}\\b`));
  });

  it('names kernel functions after their graph nodes (plain module paths only) and numbers the rest', () => {
    const source = text(emitCModel(graph, planMemory(graph), { name: 'net', neon: false }).artifacts.find((a) => a.path === 'net.c')!);
    const kernels = [...source.matchAll(/^static void (net_\w+)\(const float \*x, float \*y, float \*scratch, const int task\)/gm)].map((m) => m[1]);
    expect(kernels.length).to.be.greaterThan(5);
    expect(new Set(kernels).size).to.equal(kernels.length);
    // torchvision exports name nodes like /stage2/stage2.0/branch2/branch2.0/Conv
    if (fixture.name.startsWith('tv_')) expect(kernels).to.include('net_stage2_0_branch2_0');
    const g = hostileGraph("x */ int evil; /*");
    const hostile = text(emitCModel(g, planMemory(g), { name: 'net', neon: false }).artifacts.find((a) => a.path === 'net.c')!);
    expect(hostile).to.match(/static void net_k0\(/);
  });

  it('rejects model names that are not C identifiers', () => {
    for (const bad of ['', '1net', 'a-b', 'a*/b', 'net;int', 'int', 'x'.repeat(64), 'caf\u00e9']) {
      expect(() => validateModelName(bad), JSON.stringify(bad)).to.throw(CompileError);
      expect(() => emitCModel(graph, planMemory(graph), { name: bad, neon: false })).to.throw(CompileError);
    }
    expect(validateModelName('shufflenet_v2')).to.equal('shufflenet_v2');
  });

  it('comment text keeps graph names readable, and no */, /*, newline, trigraph or splice survives', () => {
    const hostile = '*/ #include <x> ??/\n\\ evil() /* // a?\t?/';
    const clean = commentText(hostile);
    expect(clean).to.match(/^[A-Za-z0-9_./: ?"'(),=+<>[\]-]*$/);
    for (const bad of ['*', '\\', '\n', '??', '//', '#']) expect(clean, bad).not.to.include(bad);
    // An ONNX node as the frontend names it reads as it does in the model file.
    expect(commentText('"/stage2/stage2.0/Concat" (Concat)')).to.equal('"/stage2/stage2.0/Concat" (Concat)');
  });

  it('hostile node origins stay inert in comments and the result still compiles warning-free', () => {
    const origin = "x */ int injected = 1; /* \r\n#define net_run evil";
    const g = hostileGraph(origin);
    const artifacts = emitCModel(g, planMemory(g), { name: 'net', neon: false }).artifacts;
    const source = text(artifacts.find((a) => a.path === 'net.c')!);
    // The words may survive inside comments, as inert text; outside comments nothing of them may appear.
    expect(source).to.include('injected');
    expect(codeOnly(source)).not.to.include('injected');
    expect(source).not.to.include('#define net_run');
    expect(source).not.to.include('#include <stdio.h>');
    for (const comment of source.match(/\/\*[\s\S]*?\*\//g) ?? []) expect(comment).not.to.match(/[\r\n]/);
    const dir = scratchDir('c-hostile');
    try {
      writeArtifacts(dir, artifacts);
      for (const cc of ['gcc', 'clang']) {
        const r = spawnSync(cc, ['-std=c99', ...STRICT_FLAGS, '-c', 'net.c', 'net_weights.c'], { cwd: dir, encoding: 'utf8' });
        expect(r.status, `${cc}: ${r.stderr}`).to.equal(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exposes the documented API and size macros in the header', () => {
    const header = text(emitCModel(graph, planMemory(graph), { name: 'net', neon: false }).artifacts.find((a) => a.path === 'net.h')!);
    const [n, c, h, w] = fixture.input_shape;
    expect(header).to.include('int net_run(const float *input, float *output);');
    expect(header).to.include('int net_run_with_arena(const float *input, float *output, void *arena);');
    expect(header).to.include(`#define NET_INPUT_SIZE ${n * c * h * w}`);
    expect(header).to.include(`#define NET_OUTPUT_SIZE ${fixture.output_shape[1] * fixture.output_shape[0]}`);
    expect(header).to.match(/#define NET_ARENA_BYTES \d+/);
    expect(header).to.include(`#define NET_INPUT_DIM3 ${w}`);
  });

  it('is reentrant through run_with_arena and reports null pointers', () => {
    const dir = scratchDir('c-api');
    try {
      writeArtifacts(dir, emitCModel(graph, planMemory(graph), { name: 'net', neon: false }).artifacts);
      const main = `#include <stdio.h>
#include <string.h>
#include "net.h"
static float in[NET_INPUT_SIZE], a[NET_OUTPUT_SIZE], b[NET_OUTPUT_SIZE];
static double arena[NET_ARENA_BYTES / sizeof(double) + 1];
int main(void) {
  int i;
  for (i = 0; i < NET_INPUT_SIZE; i++) in[i] = (float)((i * 7) % 11) / 11.0f;
  if (net_run(in, a) != 0 || net_run_with_arena(in, b, arena) != 0) return 1;
  if (memcmp(a, b, sizeof a) != 0) return 2;
  if (net_run(NULL, a) != -1 || net_run_with_arena(in, b, NULL) != -1) return 3;
  return 0;
}
`;
      writeArtifacts(dir, [{ path: 'main.c', contents: main }]);
      const build = spawnSync('gcc', ['-std=c99', ...STRICT_FLAGS, '-o', 'api', 'main.c', 'net.c', 'net_weights.c'], { cwd: dir, encoding: 'utf8' });
      expect(build.status, build.stderr).to.equal(0);
      expect(spawnSync(join(dir, 'api')).status).to.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
