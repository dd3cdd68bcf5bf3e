import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import fixtures from '../__fixtures__/transformer-blocks.json' with { type: 'json' };
import { fromTorchKeyPaddingMask } from '../masks/from-torch-key-padding-mask';
import { fromTorchTransformerDecoderLayer, fromTorchTransformerEncoderLayer } from './from-torch-transformer-layer';
import type { TorchTensorJson } from './torch-state-dict';

// Fixtures: scripts/make-fixtures.py, nn.TransformerEncoderLayer / TransformerDecoderLayer
// (batch_first=True, dropout 0) in float64 with float32 weights and inputs.
const TOLERANCE = { rtol: 1e-4, atol: 1e-5 };

interface Json {
  shape: number[];
  data: Array<number | boolean>;
}
interface BlockCase {
  name: string;
  kind: 'encoder' | 'decoder';
  numHeads: number;
  activation: 'relu' | 'gelu' | 'gelu_new';
  normFirst: boolean;
  layerNormEpsilon: number;
  causal: boolean;
  stateDict: Record<string, TorchTensorJson>;
  x: Json;
  memory: Json | null;
  paddingMask: Json | null;
  memoryPaddingMask: Json | null;
  cotangent: Json;
  output: Json;
  /** nn.MultiheadAttention's `need_weights=True, average_attn_weights=False`: (batch, heads, T, T). */
  selfAttentionWeights: Json;
  /** The decoder's cross-attention weights (batch, heads, T, S). */
  crossAttentionWeights: Json | null;
  grads: Record<string, Json>;
}
const cases = (fixtures as unknown as { cases: BlockCase[] }).cases;
const toTensor = (json: Json) =>
  typeof json.data[0] === 'boolean' ? tf.tensor(json.data as boolean[], json.shape, 'bool') : tf.tensor(json.data as number[], json.shape, 'float32');

await describeBackends(TEST_BACKENDS, () => {
  for (const fixture of cases) {
    it(`equals nn.Transformer${fixture.kind === 'encoder' ? 'Encoder' : 'Decoder'}Layer: ${fixture.name} (output, input and weight gradients)`, async () => {
      const options = { numHeads: fixture.numHeads, activation: fixture.activation, normFirst: fixture.normFirst, layerNormEpsilon: fixture.layerNormEpsilon };
      const block = fixture.kind === 'encoder' ? fromTorchTransformerEncoderLayer(fixture.stateDict, options) : fromTorchTransformerDecoderLayer(fixture.stateDict, options);
      const x = toTensor(fixture.x);
      const memory = fixture.memory ? toTensor(fixture.memory) : undefined;
      const torchPadding = fixture.paddingMask ? toTensor(fixture.paddingMask) : undefined;
      const torchMemoryPadding = fixture.memoryPaddingMask ? toTensor(fixture.memoryPaddingMask) : undefined;
      const padding = torchPadding && fromTorchKeyPaddingMask(torchPadding);
      const memoryPadding = torchMemoryPadding && fromTorchKeyPaddingMask(torchMemoryPadding);
      const cotangent = toTensor(fixture.cotangent);
      const run = (input: tf.Tensor, encoded?: tf.Tensor) =>
        (fixture.kind === 'encoder'
          ? block.apply(input, { attentionMask: padding, useCausalMask: fixture.causal })
          : block.apply([input, encoded!], { decoderAttentionMask: padding, encoderAttentionMask: memoryPadding, useCausalMask: fixture.causal })) as tf.Tensor;
      const output = run(x, memory);
      await expectClose(output, toTensor(fixture.output), { ...TOLERANCE, label: 'output' });

      // Asked for its attention, the block returns the same output and PyTorch's per-head weights.
      const withWeights = (
        fixture.kind === 'encoder'
          ? block.apply(x, { attentionMask: padding, useCausalMask: fixture.causal, returnAttentionWeights: true })
          : block.apply([x, memory!], { decoderAttentionMask: padding, encoderAttentionMask: memoryPadding, useCausalMask: fixture.causal, returnAttentionWeights: true })
      ) as tf.Tensor[];
      expect(withWeights).toHaveLength(fixture.kind === 'encoder' ? 2 : 3);
      await expectClose(withWeights[0]!, toTensor(fixture.output), { ...TOLERANCE, label: 'output with weights' });
      await expectClose(withWeights[1]!, toTensor(fixture.selfAttentionWeights), { ...TOLERANCE, label: 'self-attention weights' });
      if (fixture.crossAttentionWeights) await expectClose(withWeights[2]!, toTensor(fixture.crossAttentionWeights), { ...TOLERANCE, label: 'cross-attention weights' });
      tf.dispose(withWeights);

      const loss = (input: tf.Tensor, encoded?: tf.Tensor) => tf.sum(tf.mul(run(input, encoded), cotangent)) as tf.Scalar;
      const inputGradients = memory ? tf.grads((input: tf.Tensor, encoded: tf.Tensor) => loss(input, encoded))([x, memory]) : [tf.grad((input: tf.Tensor) => loss(input))(x)];
      await expectClose(inputGradients[0]!, toTensor(fixture.grads['x']!), { ...TOLERANCE, label: 'dx' });
      if (memory) await expectClose(inputGradients[1]!, toTensor(fixture.grads['memory']!), { ...TOLERANCE, label: 'dmemory' });
      const { value, grads } = tf.variableGrads(() => loss(x, memory), block.trainableWeights.map((w) => w.read() as tf.Variable));
      expect(block.trainableWeights).toHaveLength(Object.keys(fixture.grads).length - inputGradients.length);
      for (const weight of block.trainableWeights) {
        const name = weight.originalName.slice(block.name.length + 1);
        await expectClose(grads[(weight.read() as tf.Variable).name]!, toTensor(fixture.grads[name]!), { ...TOLERANCE, label: `d${name}` });
      }
      tf.dispose([x, cotangent, output, value, ...inputGradients, ...Object.values(grads)]);
      tf.dispose([memory, torchPadding, torchMemoryPadding, padding, memoryPadding].filter((t): t is tf.Tensor => t !== undefined));
      block.dispose();
    });
  }
});

it('names the missing or misshapen PyTorch entry', () => {
  const encoder = cases[0]!.stateDict;
  expect(() => fromTorchTransformerEncoderLayer({}, { numHeads: 2 })).toThrow('fromTorchTransformerEncoderLayer: stateDict needs linear1.weight of shape (dim_feedforward, d_model)');
  expect(() => fromTorchTransformerEncoderLayer(encoder, { numHeads: 3 })).toThrow(/numHeads 3 must divide the embedding width 8 \(self_attn.out_proj.weight \[8,8\]\)/);
  const { ['norm2.bias']: _dropped, ...withoutNorm } = encoder;
  expect(() => fromTorchTransformerEncoderLayer(withoutNorm, { numHeads: 2 })).toThrow('fromTorchTransformerEncoderLayer: stateDict needs norm2.bias');
});
