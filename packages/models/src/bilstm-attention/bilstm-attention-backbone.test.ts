import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { BilstmAttentionBackbone } from './bilstm-attention-backbone';

await describeBackends(TEST_BACKENDS, () => {
  it('pools the BiLSTM states with its attention weights, padding 0, and wraps a model\'s layers', async () => {
    const backbone = new BilstmAttentionBackbone({ vocabSize: 12, embeddingDim: 4, hiddenDim: 3, attentionUnits: 5, padId: 0 }, 5);
    const graph = tf.model({ inputs: backbone.inputs, outputs: [backbone.sequenceOutput, backbone.pooledOutput] });
    const ids = tf.tensor2d([[2, 7, 9, 3, 0], [2, 3, 0, 0, 0]], [2, 5], 'int32');
    const [states, pooled] = graph.predict(ids) as tf.Tensor[];
    expect(states!.shape).toEqual([2, 5, 6]);
    const weights = backbone.attention(ids);
    const values = (await weights.array()) as number[][];
    expect([values[0]![4], ...values[1]!.slice(2)]).toEqual([0, 0, 0, 0]);
    const stateValues = (await states!.array()) as number[][][];
    await expectClose(pooled!, stateValues.flatMap((row, b) => row[0]!.map((_, axis) => row.reduce((sum, state, t) => sum + values[b]![t]! * state[axis]!, 0))), { atol: 1e-5 });
    await expectNoLeaks(() => backbone.attention(ids), 'BilstmAttentionBackbone.attention');
    const wrapped = new BilstmAttentionBackbone({ vocabSize: 12, embeddingDim: 4, hiddenDim: 3, attentionUnits: 5, padId: 0 }, 5, graph);
    expect(wrapped.pooling).toBe(backbone.pooling);
    expect(() => new BilstmAttentionBackbone({ vocabSize: 12, embeddingDim: 4, hiddenDim: 3, attentionUnits: 5, padId: 0 }, 5, tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] }))).toThrow(/has no TokenEmbedding, Bidirectional and AttentionPooling layers/);
    tf.dispose([ids, states!, pooled!, weights]);
    graph.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow (LSTM); plain tfjs layers covered on cpu and wasm' } });
