import * as tf from '@tensorflow/tfjs';
import { getAttentionFastPath, setAttentionFastPath } from '@heed/attention';
import { describeBackends, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fromPretrained } from '../hf/from-pretrained';
import { folderSource } from '../hf/sources/folder-source-node';
import { disposeInputs, expectOutputsClose, HF_FIXTURES, hfReference, outputTensors, textInputs } from '../hf/testing/hf-fixtures';
import type { BertForSequenceClassification } from './bert-for-sequence-classification';

const NAME = 'bert-seq-cls-f32';

await describeBackends(TEST_BACKENDS, () => {
  it('logits, pooler_output, last_hidden_state and every hidden state equal PyTorch (F32, 1e-5); the fused kernel runs unless attentions are asked', async () => {
    const reference = await hfReference(NAME);
    const model = await fromPretrained<BertForSequenceClassification>(folderSource(join(HF_FIXTURES, NAME)), { onWarning: () => undefined });
    expect(model.architecture).toBe('BertForSequenceClassification');
    const inputs = textInputs(reference);
    const previous = getAttentionFastPath();
    let fused = 0;
    setAttentionFastPath((query, key, value, options) => {
      const result = previous?.(query, key, value, options);
      if (result) fused += 1;
      return result;
    });
    try {
      const output = model.forward(inputs, { outputHiddenStates: true });
      expect(fused).toBe(2); // one fused call per layer when no attentions are asked
      await expectOutputsClose(output, reference, 1e-5);
      tf.dispose(outputTensors(output));
      fused = 0;
      const withAttentions = model.forward(inputs, { outputAttentions: true });
      expect(fused).toBe(0); // asking for the weights takes the reference path
      expect(withAttentions.attentions!.map((weights) => weights.shape)).toEqual([[2, 3, 12, 12], [2, 3, 12, 12]]);
      await expectOutputsClose(withAttentions, reference, 1e-5);
      tf.dispose(outputTensors(withAttentions));
    } finally {
      setAttentionFastPath(previous);
    }
    await expectNoLeaks(() => {
      const output = model.forward(inputs, { outputHiddenStates: true });
      tf.dispose(outputTensors(output));
    }, 'BertForSequenceClassification.forward');
    disposeInputs(inputs);
    model.dispose();
  });
});
