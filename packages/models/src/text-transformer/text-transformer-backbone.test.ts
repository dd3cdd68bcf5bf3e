import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { referenceSelfAttention } from '../testing/reference-self-attention';
import { TextTransformerBackbone } from './text-transformer-backbone';
import type { TextTransformerConfig } from './text-transformer-config';

const CONFIG: TextTransformerConfig = { vocabSize: 20, maxLength: 6, embeddingDim: 8, depth: 2, heads: 2, mlpDim: 16, dropout: 0, padId: 0 };

await describeBackends(TEST_BACKENDS, () => {
  it('forward equals the graph, reads attention from the blocks (padding keys exactly 0), and wraps a model\'s layers', async () => {
    const backbone = new TextTransformerBackbone(CONFIG);
    const graph = tf.model({ inputs: backbone.inputs, outputs: [backbone.sequenceOutput, backbone.pooledOutput] });
    const ids = tf.tensor2d([[2, 5, 7, 3, 0, 0], [2, 9, 3, 0, 0, 0]], [2, 6], 'int32');
    const output = backbone.forward(ids, { outputAttentions: true, outputHiddenStates: true });
    const [sequence, pooled] = graph.predict(ids) as tf.Tensor[];
    await expectClose(output.lastHiddenState, sequence!, { atol: 1e-5 });
    await expectClose(output.pooledOutput, pooled!, { atol: 1e-5 });
    expect(output.hiddenStates).toHaveLength(3);
    const keyMask = [[1, 1, 1, 1, 0, 0], [1, 1, 1, 0, 0, 0]];
    for (const [layer, block] of backbone.blocks.entries()) {
      const weights = output.attentions![layer]!;
      expect(weights.shape).toEqual([2, 2, 6, 6]);
      await expectClose(weights, await referenceSelfAttention(block, (await output.hiddenStates![layer]!.array()) as number[][][], keyMask), { atol: 1e-5 });
    }
    const stacked = backbone.attention(ids);
    expect(stacked.shape).toEqual([2, 2, 2, 6, 6]);
    await expectNoLeaks(() => backbone.attention(ids), 'TextTransformerBackbone.attention');
    const wrapped = new TextTransformerBackbone(CONFIG, graph);
    expect(wrapped.blocks).toEqual(backbone.blocks);
    expect(wrapped.pooledOutput).toBe(backbone.pooledOutput);
    expect(() => new TextTransformerBackbone({ ...CONFIG, depth: 3 }, graph)).toThrow(/has 2 encoder blocks but the configuration says depth 3/);
    tf.dispose([ids, sequence!, pooled!, stacked, ...Object.values(output).flat()]);
    graph.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow; the shipped-model attention test runs on webgpu' } });
