import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import fixtures from '../__fixtures__/multihead-attention.json' with { type: 'json' };
import { combineMasks } from '../masks/combine-masks';
import { fromTorchAttnMask } from '../masks/from-torch-attn-mask';
import { fromTorchKeyPaddingMask } from '../masks/from-torch-key-padding-mask';
import { fromTorchMultiheadAttention, type TorchTensorJson } from './from-torch-multihead-attention';

// Fixtures: scripts/make-fixtures.py, nn.MultiheadAttention(batch_first=True) in float64 with
// float32 weights and inputs; float32 here, so tolerances are float32-honest.
const TOLERANCE = { rtol: 1e-4, atol: 1e-5 };

interface Json {
  shape: number[];
  data: Array<number | boolean>;
}
interface MhaCase {
  name: string;
  numHeads: number;
  selfAttention: boolean;
  causal: boolean;
  stateDict: Record<string, TorchTensorJson>;
  query: Json;
  key: Json | null;
  value: Json | null;
  keyPaddingMask: Json | null;
  attnMask: Json | null;
  cotangent: Json;
  output: Json;
  weights: Json;
  grads: Record<string, Json>;
}
const cases = (fixtures as unknown as { cases: MhaCase[] }).cases;

const toTensor = (json: Json) =>
  typeof json.data[0] === 'boolean' ? tf.tensor(json.data as boolean[], json.shape, 'bool') : tf.tensor(json.data as number[], json.shape, 'float32');

await describeBackends(TEST_BACKENDS, () => {
  for (const fixture of cases) {
    it(`equals nn.MultiheadAttention: ${fixture.name} (output, per-head weights, input and weight gradients)`, async () => {
      const layer = fromTorchMultiheadAttention(fixture.stateDict, { numHeads: fixture.numHeads });
      const query = toTensor(fixture.query);
      const key = fixture.key ? toTensor(fixture.key) : query;
      const value = fixture.value ? toTensor(fixture.value) : query;
      const cotangent = toTensor(fixture.cotangent);
      const torchMasks = [fixture.keyPaddingMask && toTensor(fixture.keyPaddingMask), fixture.attnMask && toTensor(fixture.attnMask)];
      const attentionMask = combineMasks(
        torchMasks[0] ? fromTorchKeyPaddingMask(torchMasks[0]) : undefined,
        torchMasks[1] ? fromTorchAttnMask(torchMasks[1]) : undefined,
      );
      const inputs = fixture.selfAttention ? query : [query, value, key];
      const [output, weights] = layer.apply(inputs, { attentionMask, returnAttentionScores: true }) as tf.Tensor[];
      await expectClose(output!, toTensor(fixture.output), { ...TOLERANCE, label: 'output' });
      await expectClose(weights!, toTensor(fixture.weights), { ...TOLERANCE, label: 'weights' });

      if (fixture.causal) {
        // useCausalMask + key padding only must equal PyTorch's boolean attn_mask path.
        const padding = torchMasks[0] ? fromTorchKeyPaddingMask(torchMasks[0]) : undefined;
        const causalOutput = layer.apply(inputs, { attentionMask: padding, useCausalMask: true }) as tf.Tensor;
        await expectClose(causalOutput, toTensor(fixture.output), { ...TOLERANCE, label: 'useCausalMask output' });
        tf.dispose([padding, causalOutput].filter((t) => t !== undefined));
      }

      const loss = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
        tf.sum(tf.mul(layer.apply(fixture.selfAttention ? q : [q, v, k], { attentionMask }) as tf.Tensor, cotangent)) as tf.Scalar;
      const inputGradients = fixture.selfAttention
        ? [tf.grad((q: tf.Tensor) => loss(q, q, q))(query)]
        : tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => loss(q, k, v))([query, key, value]);
      const inputNames = fixture.selfAttention ? ['query'] : ['query', 'key', 'value'];
      for (const [index, name] of inputNames.entries()) {
        await expectClose(inputGradients[index]!, toTensor(fixture.grads[name]!), { ...TOLERANCE, label: `d${name}` });
      }
      const variables = layer.trainableWeights.map((weight) => weight.read() as tf.Variable);
      const { value: lossValue, grads } = tf.variableGrads(() => loss(query, key, value), variables);
      expect(layer.trainableWeights).toHaveLength(Object.keys(fixture.grads).length - inputNames.length);
      for (const weight of layer.trainableWeights) {
        const name = weight.originalName.split('/').slice(-2).join('/');
        await expectClose(grads[(weight.read() as tf.Variable).name]!, toTensor(fixture.grads[name]!), { ...TOLERANCE, label: `d${name}` });
      }
      tf.dispose([query, key, value, cotangent, output!, weights!, attentionMask, lossValue, ...inputGradients, ...Object.values(grads)].filter((t) => t !== undefined));
      tf.dispose(torchMasks.filter((t): t is tf.Tensor => t !== null));
      layer.dispose();
    });
  }

  it('leaks nothing running forward and backward', async () => {
    // (Creating any tfjs layer, tf.layers.dense included, keeps one tensor in tfjs 4.22; not checked here.)
    const fixture = cases[2]!;
    const layer = fromTorchMultiheadAttention(fixture.stateDict, { numHeads: fixture.numHeads });
    const inputs = [toTensor(fixture.query), toTensor(fixture.value!), toTensor(fixture.key!)];
    await expectNoLeaks(() => tf.tidy(() => layer.apply(inputs, { returnAttentionScores: true, useCausalMask: true }) as tf.Tensor[]), 'forward');
    await expectNoLeaks(() => tf.grads((q: tf.Tensor) => tf.sum(layer.apply([q, inputs[1]!, inputs[2]!]) as tf.Tensor))([inputs[0]!]), 'backward');
    tf.dispose(inputs);
    layer.dispose();
  });
});

it('rejects a state dict whose shapes do not fit, naming the entry and both shapes', () => {
  const stateDict = cases[0]!.stateDict;
  expect(() => fromTorchMultiheadAttention(stateDict, { numHeads: 3 })).toThrow(/numHeads 3 must divide the embedding width 8 \(out_proj.weight \[8,8\]\)/);
  const broken = { ...stateDict, 'in_proj_weight': { shape: [3 * 8, 4], data: new Array(96).fill(0) } };
  expect(() => fromTorchMultiheadAttention(broken, { numHeads: 2 })).toThrow(/in_proj_weight has shape \[24,4\], expected \[24,8\]/);
  expect(() => fromTorchMultiheadAttention({}, { numHeads: 2 })).toThrow(/stateDict needs out_proj.weight/);
});
