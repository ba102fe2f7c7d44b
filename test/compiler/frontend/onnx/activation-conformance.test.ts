// The official ONNX backend node tests (Debian's libonnx-testdata) for the activations the paper's variants
// need: every case the frontend accepts must match the expected output; the others must be one-line refusals.
// Extra graph inputs (Clip's min/max) become initializers, as a user's exporter would write them.

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { importOnnx } from '../../../../compiler/frontend/onnx/import-onnx.ts';
import { tensorFromProto } from '../../../../compiler/frontend/onnx/tensor-proto.ts';
import { runGraph } from '../../../../compiler/interpreter/run-graph.ts';
import { CompileError } from '../../../../compiler/ir/errors.ts';

const { onnx } = onnxProto;
const NODE_TESTS = '/usr/share/libonnx-testdata/data/node';
const PATTERN = /^test_(sigmoid|hardsigmoid|hardswish|clip)(_|$)/;

function readTensor(path: string) {
  return onnx.TensorProto.decode(readFileSync(path));
}

describe('ONNX backend node tests: Sigmoid, HardSigmoid, HardSwish, Clip', function () {
  this.timeout(60000);
  const cases = existsSync(NODE_TESTS) ? readdirSync(NODE_TESTS).filter((d) => PATTERN.test(d)).sort() : [];
  it('libonnx-testdata is installed (.ci/run installs it)', () => expect(cases.length).to.be.greaterThan(15));
  for (const name of cases) {
    it(name, () => {
      const dir = join(NODE_TESTS, name);
      const model = onnx.ModelProto.decode(readFileSync(join(dir, 'model.onnx')));
      const data = join(dir, 'test_data_set_0');
      const inputs = model.graph!.input!.map((_, i) => readTensor(join(data, `input_${i}.pb`)));
      // Every graph input after the first becomes an initializer with the test's value.
      const extra = model.graph!.input!.slice(1);
      extra.forEach((info, k) => model.graph!.initializer!.push({ ...inputs[k + 1], name: info.name }));
      model.graph!.input = model.graph!.input!.slice(0, 1);
      const bytes = onnx.ModelProto.encode(model).finish();
      let graph;
      try {
        graph = importOnnx(bytes, { file: `${name}.onnx` });
      } catch (e) {
        expect(e, String(e)).to.be.instanceOf(CompileError);
        expect((e as Error).message).to.not.contain('\n');
        return; // refused in one line (e.g. int8 inputs)
      }
      const x = tensorFromProto(inputs[0], 'input');
      const [y] = runGraph(graph, [x.data as Float32Array]);
      const expected = tensorFromProto(readTensor(join(data, 'output_0.pb')), 'output').data;
      expect(y.length).to.equal(expected.length);
      y.forEach((v, i) => expect(Math.abs(v - expected[i]), `${name}[${i}]: ${v} vs ${expected[i]}`).to.be.at.most(1e-6 + 1e-6 * Math.abs(expected[i])));
    });
  }
});
