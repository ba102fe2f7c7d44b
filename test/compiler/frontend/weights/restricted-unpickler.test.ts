// The restricted unpickler on hand-assembled pickles: each opcode's meaning comes from Python's pickle spec
// (pickletools), so the expected values are derived by hand, not by the code under test.

import { expect } from 'chai';
import { CompileError } from '../../../../compiler/ir/errors.ts';
import type { PickleGlobal, PickleValue } from '../../../../compiler/frontend/weights/restricted-unpickler.ts';
import { unpickle } from '../../../../compiler/frontend/weights/restricted-unpickler.ts';
import { torchPersistentLoad, torchPickleGlobals } from '../../../../compiler/frontend/weights/torch-pickle-globals.ts';
import { op, u32 } from './hand-made.ts';

const { PROTO2, STOP, binunicode, shortUnicode, global: globalOp } = op;

function run(bytes: number[], globals: PickleGlobal[] = []): PickleValue {
  return unpickle(Uint8Array.from(bytes), { globals: new Map(globals.map((g) => [g.name, g])) });
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(CompileError);
    return (e as Error).message;
  }
  return expect.fail('expected a CompileError');
}

describe('restricted unpickler', () => {
  it('reads integers of every width, floats, strings, booleans and None into a tuple', () => {
    const bytes = [
      ...PROTO2, 0x28, // MARK
      0x4b, 200, // BININT1 200
      0x4d, 0x34, 0x12, // BININT2 0x1234
      0x4a, ...u32(-5 >>> 0), // BININT -5
      0x8a, 2, 0x00, 0xff, // LONG1 0xff00 as 2 bytes = -256 (two's complement)
      0x8a, 5, 0, 0, 0, 0, 1, // LONG1 2^32
      0x47, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, // BINFLOAT 1.5 (big-endian)
      ...binunicode('conv1.0.weight'), ...shortUnicode('é'), 0x88, 0x89, 0x4e, // True False None
      0x74, STOP, // TUPLE
    ];
    expect(run(bytes)).to.deep.equal([200, 0x1234, -5, -256, 2 ** 32, 1.5, 'conv1.0.weight', 'é', true, false, null]);
  });

  it('builds dicts, lists and small tuples, and resolves the memo', () => {
    const bytes = [
      ...PROTO2, 0x7d, 0x71, 0, // EMPTY_DICT, BINPUT 0
      0x28, ...binunicode('a'), 0x5d, 0x4b, 1, 0x61, 0x28, 0x4b, 2, 0x4b, 3, 0x65, // 'a': [1] APPEND, then APPENDS 2, 3
      ...binunicode('b'), 0x4b, 7, 0x85, 0x72, ...u32(9), // 'b': (7,) LONG_BINPUT 9
      0x75, // SETITEMS
      ...binunicode('c'), 0x4b, 8, 0x4b, 9, 0x86, 0x73, // SETITEM 'c': (8, 9)
      ...binunicode('d'), 0x6a, ...u32(9), 0x73, // SETITEM 'd': LONG_BINGET 9 -> (7,)
      ...binunicode('e'), 0x4b, 1, 0x4b, 2, 0x4b, 3, 0x87, 0x29, 0x86, 0x73, // 'e': ((1, 2, 3), ())
      STOP,
    ];
    const d = run(bytes) as Map<string, PickleValue>;
    expect([...d.entries()]).to.deep.equal([['a', [1, 2, 3]], ['b', [7]], ['c', [8, 9]], ['d', [7]], ['e', [[1, 2, 3], []]]]);
  });

  it('follows protocol 4 framing: FRAME, MEMOIZE, SHORT_BINUNICODE and STACK_GLOBAL', () => {
    const tag: PickleGlobal = { kind: 'global', name: 'torch.FloatStorage' };
    const bytes = [
      0x80, 4, 0x95, 20, 0, 0, 0, 0, 0, 0, 0, // PROTO 4, FRAME (length is only a hint)
      ...shortUnicode('torch'), 0x94, ...shortUnicode('FloatStorage'), 0x94, 0x93, 0x94, // STACK_GLOBAL, memo 0..2
      0x68, 2, 0x86, STOP, // (global, BINGET 2) -> the same global twice
    ];
    expect(run(bytes, [tag])).to.deep.equal([tag, tag]);
  });

  it('applies only allowed constructors on REDUCE and lets them accept BUILD state', () => {
    const seen: PickleValue[] = [];
    const make: PickleGlobal = { kind: 'global', name: 'collections.OrderedDict', construct: () => new Map(), acceptState: (_o, s) => void seen.push(s) };
    const bytes = [...PROTO2, ...globalOp('collections', 'OrderedDict'), 0x29, 0x52, 0x7d, 0x62, STOP];
    expect(run(bytes, [make])).to.be.instanceOf(Map);
    expect(seen).to.have.length(1);
  });

  for (const [module, name] of [['os', 'system'], ['builtins', 'eval'], ['posix', 'system'], ['__builtin__', 'getattr'], ['torch', 'load']]) {
    it(`refuses GLOBAL ${module}.${name} at the opcode, naming it`, () => {
      let called = false;
      const allowed: PickleGlobal = { kind: 'global', name: 'collections.OrderedDict', construct: () => ((called = true), new Map()) };
      // A payload shaped like a real exploit: global, argument tuple, REDUCE.
      const bytes = [...PROTO2, ...globalOp(module, name), ...binunicode('touch /tmp/x'), 0x85, 0x52, STOP];
      expect(errorOf(() => run(bytes, [allowed]))).to.contain(`"${module}.${name}" is not allowed`).and.match(/^[^\n]+$/);
      expect(called).to.equal(false);
    });
  }

  it('refuses STACK_GLOBAL names outside the set too', () => {
    const bytes = [0x80, 4, ...shortUnicode('os'), ...shortUnicode('system'), 0x93, STOP];
    expect(errorOf(() => run(bytes))).to.contain('"os.system" is not allowed');
  });

  it('refuses REDUCE on a tag global and BUILD on objects no global vouches for', () => {
    const tag: PickleGlobal = { kind: 'global', name: 'torch.FloatStorage' };
    expect(errorOf(() => run([...PROTO2, ...globalOp('torch', 'FloatStorage'), 0x29, 0x52, STOP], [tag]))).to.contain('REDUCE may only apply an allowed constructor');
    expect(errorOf(() => run([...PROTO2, 0x7d, 0x7d, 0x62, STOP]))).to.contain('BUILD is not allowed on a dict');
  });

  it('refuses opcodes outside the state_dict subset (INST, OBJ, NEWOBJ, protocol 0 strings)', () => {
    for (const op of [0x69, 0x6f, 0x81, 0x53, 0x49]) {
      expect(errorOf(() => run([...PROTO2, op, STOP]))).to.contain(`opcode 0x${op.toString(16)} is not supported`);
    }
  });

  it('reports truncation, stack underflow, undefined memo entries and bad protocols', () => {
    expect(errorOf(() => run([...PROTO2, 0x58, 10, 0, 0, 0, 0x61]))).to.contain('truncated');
    expect(errorOf(() => run([...PROTO2, 0x4b]))).to.contain('truncated');
    expect(errorOf(() => run([...PROTO2, 0x86, STOP]))).to.contain('stack underflow');
    expect(errorOf(() => run([...PROTO2, 0x68, 3, STOP]))).to.contain('memo entry 3');
    expect(errorOf(() => run([0x80, 9, 0x4e, STOP]))).to.contain('protocol 9');
    expect(errorOf(() => run([...PROTO2, 0x4e, 0x4e, STOP]))).to.contain('left on the stack');
    expect(errorOf(() => run([...PROTO2, 0x8a, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, STOP]))).to.contain('too large');
  });
});

// What torch.load would call, pinned: adding any callable to the allow-list must fail here first.
const TORCH_ALLOW_LIST = [
  'collections.OrderedDict',
  'torch.BFloat16Storage',
  'torch.BoolStorage',
  'torch.ByteStorage',
  'torch.CharStorage',
  'torch.DoubleStorage',
  'torch.FloatStorage',
  'torch.HalfStorage',
  'torch.IntStorage',
  'torch.LongStorage',
  'torch.ShortStorage',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_tensor_v2',
];

// {'w': X} where X's __reduce__ returns (callable, args): made by CPython 3.11's pickle.dumps, protocols 2 and 4
// (protocol 2 spells builtins as __builtin__ and subprocess as commands, as CPython's compat mapping does).
const HOSTILE_PICKLES: [string, number, string][] = [
  ['posix.system', 2, 'gAJ9cQBYAQAAAHdxAWNwb3NpeApzeXN0ZW0KcQJYFgAAAHRvdWNoIC90bXAvc252MmMtcHduZWRxA4VxBFJxBXMu'],
  ['posix.system', 4, 'gASVOAAAAAAAAAB9lIwBd5SMBXBvc2l4lIwGc3lzdGVtlJOUjBZ0b3VjaCAvdG1wL3NudjJjLXB3bmVklIWUUpRzLg=='],
  ['__builtin__.eval', 2, 'gAJ9cQBYAQAAAHdxAWNfX2J1aWx0aW5fXwpldmFsCnECWAMAAAAxKzFxA4VxBFJxBXMu'],
  ['builtins.eval', 4, 'gASVJgAAAAAAAAB9lIwBd5SMCGJ1aWx0aW5zlIwEZXZhbJSTlIwDMSsxlIWUUpRzLg=='],
  ['__builtin__.exec', 2, 'gAJ9cQBYAQAAAHdxAWNfX2J1aWx0aW5fXwpleGVjCnECWAMAAAB4PTFxA4VxBFJxBXMu'],
  ['builtins.exec', 4, 'gASVJgAAAAAAAAB9lIwBd5SMCGJ1aWx0aW5zlIwEZXhlY5STlIwDeD0xlIWUUpRzLg=='],
  ['__builtin__.getattr', 2, 'gAJ9cQBYAQAAAHdxAWNfX2J1aWx0aW5fXwpnZXRhdHRyCnECWAMAAABhYmNxA1gFAAAAdXBwZXJxBIZxBVJxBnMu'],
  ['builtins.getattr', 4, 'gASVMQAAAAAAAAB9lIwBd5SMCGJ1aWx0aW5zlIwHZ2V0YXR0cpSTlIwDYWJjlIwFdXBwZXKUhpRSlHMu'],
  ['__builtin__.__import__', 2, 'gAJ9cQBYAQAAAHdxAWNfX2J1aWx0aW5fXwpfX2ltcG9ydF9fCnECWAIAAABvc3EDhXEEUnEFcy4='],
  ['builtins.__import__', 4, 'gASVKwAAAAAAAAB9lIwBd5SMCGJ1aWx0aW5zlIwKX19pbXBvcnRfX5STlIwCb3OUhZRSlHMu'],
  ['commands.Popen', 2, 'gAJ9cQBYAQAAAHdxAWNjb21tYW5kcwpQb3BlbgpxAl1xA1gEAAAAdHJ1ZXEEYYVxBVJxBnMu'],
  ['subprocess.Popen', 4, 'gASVLQAAAAAAAAB9lIwBd5SMCnN1YnByb2Nlc3OUjAVQb3BlbpSTlF2UjAR0cnVllGGFlFKUcy4='],
  ['shutil.rmtree', 2, 'gAJ9cQBYAQAAAHdxAWNzaHV0aWwKcm10cmVlCnECWAwAAAAvbm9uZXhpc3RlbnRxA4VxBFJxBXMu'],
  ['shutil.rmtree', 4, 'gASVLwAAAAAAAAB9lIwBd5SMBnNodXRpbJSMBnJtdHJlZZSTlIwML25vbmV4aXN0ZW50lIWUUpRzLg=='],
];

describe('the torch allow-list of the checkpoint loader', () => {
  it('is exactly the documented constructors and storage types', () => {
    expect([...torchPickleGlobals().keys()].sort()).to.deep.equal(TORCH_ALLOW_LIST);
  });

  for (const [name, protocol, base64] of HOSTILE_PICKLES) {
    it(`refuses CPython's pickle of ${name} (protocol ${protocol}) in one line`, () => {
      const bytes = Uint8Array.from(Buffer.from(base64, 'base64'));
      const message = errorOf(() => unpickle(bytes, { globals: torchPickleGlobals(), persistentLoad: torchPersistentLoad }));
      expect(message).to.contain(`"${name}" is not allowed`).and.match(/^[^\n]+$/);
    });
  }
});
