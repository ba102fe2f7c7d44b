// clang 14 (Debian 12's) compiles relaxed multiply-add (`__builtin_wasm_fma_f32x4`) to the relaxed-SIMD
// prototype's opcode 0xfd 0xaf; the standard (Chromium, Node with --experimental-wasm-relaxed-simd) numbers
// f32x4.relaxed_madd 0xfd 0x105. Both encodings take three bytes (0xaf 0x01 and 0x85 0x02 as LEB128), so the
// module is renumbered in place. The code section is decoded instruction by instruction (a byte search could
// hit constants or immediates); an opcode this decoder does not know fails loudly instead of being skipped.
// Newer clang spells the standard instruction itself (`__builtin_wasm_relaxed_madd_f32x4`): nothing to renumber.
// The wasm vocabularies use no other relaxed builtin; another prototype opcode would fail validation at load,
// which the relaxed-build tests would show.
//
// Operand order: the prototype defined fma(a, b, c) = a + b * c, the standard relaxed_madd(a, b, c) = a * b + c.
// The C side therefore writes the builtin's operands in the standard order, which the renumbered instruction
// then computes.

import { CompileError } from '../../compiler/ir/errors.ts';

const PROTOTYPE_MADD = 0xaf;
const STANDARD_MADD = 0x105;

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
  ) {}
  byte(): number {
    if (this.at >= this.bytes.length) throw new CompileError('wasm target: truncated module while renumbering relaxed SIMD opcodes', { kind: 'internal' });
    return this.bytes[this.at++];
  }
  /** Unsigned or signed LEB128; only its length matters here except for counts and opcodes (unsigned, < 2^32). */
  leb(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      if (shift < 32) value += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) return value;
    }
  }
  skip(n: number): void {
    this.at += n;
  }
}

/** Skips the immediates of a 0xfd (SIMD) instruction; renumbers prototype madd. Returns true if renumbered. */
function simdInstruction(r: Reader): boolean {
  const start = r.at;
  const op = r.leb();
  if (op === PROTOTYPE_MADD) {
    if (r.at - start !== 2) throw new CompileError('wasm target: unexpected encoding of the relaxed multiply-add opcode', { kind: 'internal' });
    r.bytes[start] = 0x80 | (STANDARD_MADD & 0x7f);
    r.bytes[start + 1] = STANDARD_MADD >> 7;
    return true;
  }
  if (op <= 11 || op === 92 || op === 93) r.leb(), r.leb(); // loads/stores: memarg
  else if (op === 12 || op === 13) r.skip(16); // v128.const, i8x16.shuffle
  else if (op >= 21 && op <= 34) r.skip(1); // extract/replace lane
  else if (op >= 84 && op <= 91) r.leb(), r.leb(), r.skip(1); // load/store lane: memarg + lane
  return false;
}

/** Skips the immediates of a 0xfc instruction (saturating truncation, bulk memory, tables). */
function miscInstruction(r: Reader): void {
  const op = r.leb();
  if (op <= 7) return;
  if (op === 8) r.leb(), r.skip(1);
  else if (op === 9 || op === 13 || (op >= 15 && op <= 17)) r.leb();
  else if (op === 10) r.skip(2);
  else if (op === 11) r.skip(1);
  else if (op === 12 || op === 14) r.leb(), r.leb();
  else throw new CompileError(`wasm target: unknown instruction 0xfc ${op} in the built module`, { kind: 'internal' });
}

/** Decodes one function body, renumbering in place; returns how many instructions were renumbered. */
function functionBody(r: Reader, end: number): number {
  let renumbered = 0;
  const localGroups = r.leb();
  for (let i = 0; i < localGroups; i++) r.leb(), r.skip(1);
  while (r.at < end) {
    const op = r.byte();
    if (op === 0xfd) renumbered += simdInstruction(r) ? 1 : 0;
    else if (op === 0xfc) miscInstruction(r);
    else if (op >= 0x02 && op <= 0x04) r.leb(); // block type (s33)
    else if (op === 0x0c || op === 0x0d || op === 0x10 || (op >= 0x20 && op <= 0x26) || op === 0xd2) r.leb();
    else if (op === 0x0e) {
      const targets = r.leb();
      for (let i = 0; i <= targets; i++) r.leb();
    } else if (op === 0x11) r.leb(), r.leb();
    else if (op === 0x1c) r.skip(r.leb());
    else if (op >= 0x28 && op <= 0x3e) r.leb(), r.leb(); // memarg
    else if (op === 0x3f || op === 0x40 || op === 0xd0) r.skip(1);
    else if (op === 0x41 || op === 0x42) r.leb();
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (op === 0x06 || op === 0x07 || op === 0x08 || op === 0x09 || op === 0x18 || op === 0x19 || op === 0xfe || op === 0xff) {
      throw new CompileError(`wasm target: unexpected instruction 0x${op.toString(16)} in the built module`, { kind: 'internal' });
    }
    // Every other opcode (numeric, parametric, control without immediates) has none.
  }
  if (r.at !== end) throw new CompileError('wasm target: a function body did not decode to its declared size', { kind: 'internal' });
  return renumbered;
}

/** Renumbers prototype relaxed multiply-adds to the standard opcode in place; returns how many there were. */
export function renumberRelaxedOpcodes(module: Uint8Array): number {
  const r = new Reader(module, 8);
  let renumbered = 0;
  while (r.at < module.length) {
    const id = r.byte();
    const size = r.leb();
    const end = r.at + size;
    if (id === 10) {
      const functions = r.leb();
      for (let f = 0; f < functions; f++) {
        const bodySize = r.leb();
        renumbered += functionBody(r, r.at + bodySize);
      }
    }
    r.at = end;
  }
  return renumbered;
}
