import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { loadSklearnDigitsNode } from '../data/digits/load-sklearn-digits-node';
import { sklearnDigitsDataset } from '../data/digits/sklearn-digits-dataset';
import { loadPretrained } from '../pretrained/load-pretrained-node';
import { referenceSelfAttention } from '../testing/reference-self-attention';
import type { TextTransformerBackbone } from '../text-transformer/text-transformer-backbone';
import { attentionRollout } from './attention-rollout';

// The attention maps the shipped models explain with are read from the blocks (returnAttentionWeights);
// here they must equal an independent float64 softmax(q·kᵀ/√d) of each block's weights and input.
const digits = sklearnDigitsDataset(await loadSklearnDigitsNode()).test;

await describeBackends(TEST_BACKENDS, () => {
  it('digits ViT: attentionMaps equal softmax(QKᵀ/√d) from the weights, layer by layer, and its rollout', async () => {
    const vit = await loadPretrained('digits');
    const image = tf.tensor4d(digits.images.slice(0, 64), [1, 8, 8, 1]);
    const maps = await vit.attentionMaps(image);
    const { hiddenStates } = vit.backbone.forward(image, { outputHiddenStates: true });
    const [layers, heads, tokens] = maps.shape;
    expect(maps.shape).toEqual([4, 4, 5, 5]);
    const expected: number[] = [];
    for (const [layer, block] of vit.backbone.blocks.entries()) expected.push(...(await referenceSelfAttention(block, (await hiddenStates![layer]!.array()) as number[][][])));
    await expectClose(maps.weights, expected, { atol: 2e-5 });
    await expectClose(maps.classAttention[layers - 1]![heads - 1]!, expected.slice(-tokens * tokens + 1, -tokens * tokens + tokens), { atol: 2e-5 });
    const rollout = Array.from(attentionRollout(expected, maps.shape).subarray(1, tokens));
    const total = rollout.reduce((sum, value) => sum + value, 0);
    await expectClose(maps.rollout, rollout.map((value) => value / total), { atol: 2e-5 });
    await expectClose(maps.logits, await vit.predict(image).data(), { atol: 1e-4 });
    tf.dispose([image, ...hiddenStates!]);
    vit.dispose();
  });

  for (const name of ['sentiment-transformer', 'spam'] as const) {
    it(`${name}: explain's per-head [CLS] rows and the blocks' attention equal softmax(QKᵀ/√d) with padding masked`, async () => {
      const classifier = await loadPretrained(name);
      const text = name === 'spam' ? 'Subject: WIN a FREE prize now!!! Click here to claim your money' : 'The food was wonderful and the staff were friendly.';
      const why = await classifier.explain(text);
      const { ids } = classifier.encodeIds([text]);
      const backbone = classifier.backbone as TextTransformerBackbone;
      const idTensor = tf.tensor2d(ids, [1, classifier.config.maxLength], 'int32');
      const { hiddenStates, attentions, lastHiddenState, pooledOutput } = backbone.forward(idTensor, { outputAttentions: true, outputHiddenStates: true });
      const keyMask = [Array.from(ids, (id) => (id === classifier.config.padId ? 0 : 1))];
      const time = classifier.config.maxLength;
      const length = why.tokens.length;
      expect(why.heads).toHaveLength(2);
      for (const [layer, block] of backbone.blocks.entries()) {
        const expected = await referenceSelfAttention(block, (await hiddenStates![layer]!.array()) as number[][][], keyMask);
        await expectClose(attentions![layer]!, expected, { atol: 2e-5 });
        for (let head = 0; head < why.heads[layer]!.length; head++) {
          await expectClose(why.heads[layer]![head]!, expected.slice(head * time * time, head * time * time + length), { atol: 2e-5 }); // row 0 ([CLS]), the real tokens
        }
      }
      tf.dispose([idTensor, lastHiddenState, pooledOutput, ...hiddenStates!, ...attentions!]);
      classifier.dispose();
    });
  }
});
