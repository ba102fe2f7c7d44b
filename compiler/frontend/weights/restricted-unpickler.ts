// A pickle reader that never runs code. Python's unpickler imports any module a pickle names and calls whatever
// REDUCE points at, which is how a hostile .pth runs `os.system`. This one only knows the opcodes a torch
// state_dict uses and only the globals its caller allows: a GLOBAL naming anything else stops the read on the
// spot, before any tensor is built, and REDUCE "calls" only the caller's own TypeScript constructors.
//
// Accepted opcodes (what torch.save emits at its default protocol 2, plus protocol 4's framing):
//   PROTO FRAME STOP MARK                    framing and structure
//   EMPTY_DICT EMPTY_LIST EMPTY_TUPLE DICT LIST TUPLE TUPLE1-3 APPEND(S) SETITEM(S)   containers
//   BININT BININT1 BININT2 LONG1 BINFLOAT NONE NEWTRUE NEWFALSE BINUNICODE SHORT_BINUNICODE   scalars
//   BINPUT LONG_BINPUT MEMOIZE BINGET LONG_BINGET   memo (shared sub-objects, e.g. storage type tags)
//   GLOBAL STACK_GLOBAL                      only names in the caller's table, checked when read
//   REDUCE BUILD                             only on those globals, through the caller's stand-ins
//   BINPERSID                                torch's storage references, through the caller's hook
// Everything else (INST, OBJ, NEWOBJ, EXT*, protocol-0 text opcodes, bytes, sets, PERSID...) is refused.

import { CompileError, quoteName } from '../../ir/errors.ts';

/** What a pickle can produce here. Tuples and lists are both arrays; dicts are Maps with primitive keys. */
export type PickleValue = null | boolean | number | string | PickleValue[] | PickleDict | PickleGlobal | PickleObject;
export type PickleDict = Map<string | number | boolean | null, PickleValue>;
/** A host object made by an allowed constructor (a tensor reference, a storage reference). */
export interface PickleObject {
  readonly kind: 'object';
  readonly type: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** An allowed global: either a constructor REDUCE may apply, or a plain tag (e.g. a storage dtype class). */
export interface PickleGlobal {
  readonly kind: 'global';
  readonly name: string;
  readonly construct?: (args: PickleValue[]) => PickleValue;
  /** BUILD (`obj.__setstate__(state)`) on objects this global made; absent means BUILD is refused. */
  readonly acceptState?: (obj: PickleValue, state: PickleValue) => void;
}

export interface UnpickleOptions {
  /** Allowed globals by dotted name ("collections.OrderedDict"). */
  readonly globals: ReadonlyMap<string, PickleGlobal>;
  /** BINPERSID: turn a persistent id (torch: a storage tuple) into a value. Pure: must not read outside its argument. */
  readonly persistentLoad?: (pid: PickleValue) => PickleValue;
}

const MARK = Symbol('mark');
/** A state_dict's stack stays a few dozen deep; this only stops a crafted pickle from filling memory. */
const MAX_STACK = 1 << 20;
type StackItem = PickleValue | typeof MARK;

export class PickleError extends CompileError {}

/** Parses `bytes` as a pickle under the rules above; any deviation is a CompileError with the byte position. */
export function unpickle(bytes: Uint8Array, opts: UnpickleOptions): PickleValue {
  return unpickleAt(bytes, 0, opts).value;
}

/**
 * The same, for one pickle of several written back to back (torch's legacy format): starts at byte `start`, stops
 * at the first STOP and says where the next one begins. Byte positions in errors count from the buffer's start.
 */
export function unpickleAt(bytes: Uint8Array, start: number, opts: UnpickleOptions): { value: PickleValue; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();
  // Which global built an object, so BUILD can ask that global whether it accepts state.
  const madeBy = new WeakMap<object, PickleGlobal>();
  let pos = start;
  let opPos = start;

  const fail: (reason: string) => never = (reason) => {
    throw new PickleError(`pickle byte ${opPos}: ${reason}`);
  };
  const need = (n: number): number => {
    if (n < 0 || pos + n > bytes.length) fail('unexpected end of data (truncated pickle)');
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = (): number => view.getUint8(need(1));
  const u16 = (): number => view.getUint16(need(2), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const text = (n: number): string => {
    const at = need(n);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + n));
    } catch {
      return fail('string is not valid UTF-8');
    }
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0 || end - pos > 256) fail('GLOBAL name is unterminated or too long');
    const s = String.fromCharCode(...bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): PickleValue => {
    const v = stack.pop();
    return v === undefined || v === MARK ? fail('stack underflow') : v;
  };
  const top = (): PickleValue => {
    const v = stack[stack.length - 1];
    return v === undefined || v === MARK ? fail('stack underflow') : v;
  };
  const popMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail('MARK expected');
    const items = stack.splice(at) as PickleValue[];
    items.shift();
    return items;
  };
  const global = (name: string): PickleGlobal => opts.globals.get(name) ?? fail(`global ${quoteName(name)} is not allowed (${describeAllowed(opts.globals)}); refusing to load a file that may run code`);
  const dictOf = (v: PickleValue, what: string): PickleDict => (v instanceof Map ? v : fail(`${what} needs a dict`));
  const listOf = (v: PickleValue, what: string): PickleValue[] => (Array.isArray(v) ? v : fail(`${what} needs a list`));
  const setItems = (dict: PickleDict, items: PickleValue[]): void => {
    if (items.length % 2) fail('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) dict.set(dictKey(items[i]), items[i + 1]);
  };
  const dictKey = (k: PickleValue): string | number | boolean | null => {
    if (k === null || typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean') return k;
    return fail('dict keys must be strings or numbers');
  };
  const memoGet = (i: number): PickleValue => {
    if (!memo.has(i)) fail(`memo entry ${i} is not defined`);
    return memo.get(i)!;
  };
  const safeInt = (v: bigint): number => {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) fail(`integer ${v} is too large`);
    return Number(v);
  };

  for (;;) {
    if (stack.length > MAX_STACK) fail(`stack deeper than ${MAX_STACK} entries`);
    opPos = pos;
    const op = u8();
    switch (op) {
      case 0x80: { // PROTO
        const version = u8();
        if (version < 2 || version > 5) fail(`pickle protocol ${version} is not supported (2 to 5 are)`);
        break;
      }
      case 0x95: // FRAME: an 8-byte length hint; the frame's opcodes follow inline
        need(8);
        break;
      case 0x2e: { // STOP
        const result = pop();
        if (stack.length) fail('data left on the stack at STOP');
        return { value: result, end: pos };
      }
      case 0x28: stack.push(MARK); break; // MARK
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x64: { const d: PickleDict = new Map(); setItems(d, popMark()); stack.push(d); break; } // DICT
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x85: stack.push([pop()]); break; // TUPLE1
      case 0x86: { const b = pop(); stack.push([pop(), b]); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); stack.push([pop(), b, c]); break; } // TUPLE3
      case 0x61: { const v = pop(); listOf(top(), 'APPEND').push(v); break; } // APPEND
      case 0x65: { const items = popMark(); listOf(top(), 'APPENDS').push(...items); break; } // APPENDS
      case 0x73: { const v = pop(); const k = pop(); dictOf(top(), 'SETITEM').set(dictKey(k), v); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(dictOf(top(), 'SETITEMS'), items); break; } // SETITEMS
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4a: stack.push(view.getInt32(need(4), true)); break; // BININT
      case 0x8a: { // LONG1: little-endian two's complement of n bytes
        const n = u8();
        if (n > 8) fail(`LONG1 of ${n} bytes is too large`);
        const at = need(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]);
        if (n && bytes[at + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(safeInt(v));
        break;
      }
      case 0x47: stack.push(view.getFloat64(need(8), false)); break; // BINFLOAT (big-endian)
      case 0x8c: stack.push(text(u8())); break; // SHORT_BINUNICODE
      case 0x58: stack.push(text(u32())); break; // BINUNICODE
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: stack.push(memoGet(u8())); break; // BINGET
      case 0x6a: stack.push(memoGet(u32())); break; // LONG_BINGET
      case 0x63: { const module = line(); stack.push(global(`${module}.${line()}`)); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings');
        stack.push(global(`${module}.${name}`));
        break;
      }
      case 0x52: { // REDUCE: only an allowed constructor, applied by our own code
        const args = pop();
        const callee = pop();
        if (!isGlobal(callee) || !callee.construct) return fail(`REDUCE may only apply an allowed constructor, not ${describe(callee)}`);
        const made = callee.construct(listOf(args, 'REDUCE'));
        if (made !== null && typeof made === 'object') madeBy.set(made, callee);
        stack.push(made);
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        const obj = top();
        const g = obj !== null && typeof obj === 'object' ? madeBy.get(obj) : undefined;
        if (!g?.acceptState) return fail(`BUILD is not allowed on ${describe(obj)}`);
        g.acceptState(obj, state);
        break;
      }
      case 0x51: { // BINPERSID
        if (!opts.persistentLoad) return fail('persistent ids are not expected here');
        stack.push(opts.persistentLoad(pop()));
        break;
      }
      default:
        fail(`pickle opcode 0x${op.toString(16).padStart(2, '0')} is not supported by this restricted reader`);
    }
  }
}

export function isGlobal(v: PickleValue): v is PickleGlobal {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) && v.kind === 'global';
}

/** The allowed constructors by name, and how many plain tags (dtype classes) there are besides. */
function describeAllowed(globals: ReadonlyMap<string, PickleGlobal>): string {
  const constructors = [...globals.values()].filter((g) => g.construct).map((g) => g.name);
  const tags = globals.size - constructors.length;
  return `allowed: ${constructors.join(', ') || 'none'}${tags ? ` and ${tags} type tags` : ''}`;
}

function describe(v: PickleValue): string {
  if (isGlobal(v)) return `global ${v.name}`;
  if (v instanceof Map) return 'a dict';
  if (Array.isArray(v)) return 'a tuple or list';
  if (v !== null && typeof v === 'object') return `a ${v.type}`;
  return `a ${v === null ? 'None' : typeof v}`;
}
