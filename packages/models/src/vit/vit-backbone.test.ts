import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { expect, it } from 'vitest';
import { referenceSelfAttention } from '../testing/reference-self-attention';
import { VitBackbone } from './vit-backbone';
import { resolveVitConfig, type VisionTransformerConfig } from './vit-config';
import { VitImageClassifier } from './vit-image-classifier';

const SMALL: VisionTransformerConfig = { imageSize: 8, patchSize: 4, channels: 3, dim: 16, depth: 2, heads: 2, mlpDim: 32, numClasses: 3 };

await describeBackends(TEST_BACKENDS, () => {
  it('forward gives lastHiddenState equal to model.predict, depth + 1 hidden states and the blocks\' attention', async () => {
    const backbone = new VitBackbone(resolveVitConfig(SMALL));
    const images = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const output = backbone.forward(images, { outputAttentions: true, outputHiddenStates: true });
    expect(backbone.tokens).toBe(5);
    expect(output.lastHiddenState.shape).toEqual([2, 5, 16]);
    expect(output.hiddenStates!.map((state) => state.shape)).toEqual([[2, 5, 16], [2, 5, 16], [2, 5, 16]]);
    expect(output.attentions!.map((weights) => weights.shape)).toEqual([[2, 2, 5, 5], [2, 2, 5, 5]]);
    const predicted = backbone.model.predict(images) as tf.Tensor;
    await expectClose(output.lastHiddenState, predicted, { atol: 1e-5 });
    // Each block's weights are softmax(q·kᵀ/√d) of its own input, by an independent float64 reference.
    for (const [layer, block] of backbone.blocks.entries()) {
      const input = (await output.hiddenStates![layer]!.array()) as number[][][];
      await expectClose(output.attentions![layer]!, await referenceSelfAttention(block, input), { atol: 1e-5 });
    }
    const plain = backbone.forward(images);
    expect(Object.keys(plain)).toEqual(['lastHiddenState']);
    await expectNoLeaks(() => tf.dispose(Object.values(backbone.forward(images, { outputAttentions: true, outputHiddenStates: true })).flat()), 'VitBackbone.forward');
    tf.dispose([images, predicted, plain.lastHiddenState, output.lastHiddenState, ...output.hiddenStates!, ...output.attentions!]);
    backbone.model.dispose();
  });

  it('expresses HF ViT: layer norm epsilon, activation and pre/post-norm reach every block and the final norm', () => {
    const backbone = new VitBackbone(resolveVitConfig({ ...SMALL, layerNormEpsilon: 1e-12, activation: 'gelu_new', normalizeFirst: false }));
    for (const block of backbone.blocks) expect(block.config).toMatchObject({ layerNormEpsilon: 1e-12, activation: 'gelu_new', normalizeFirst: false, numHeads: 2, intermediateDim: 32 });
    expect(backbone.finalNorm.epsilon).toBe(1e-12);
    expect(backbone.classToken).toBeDefined();
    expect(backbone.positionEmbedding.sequenceLength).toBe(5);
    const defaults = resolveVitConfig(SMALL);
    expect([defaults.layerNormEpsilon, defaults.activation, defaults.normalizeFirst]).toEqual([1e-6, 'gelu', true]);
    expect(() => resolveVitConfig({ ...SMALL, activation: 'swish' as 'gelu' })).toThrow(/activation must be one of gelu, gelu_new, relu; got "swish"/);
    expect(() => resolveVitConfig({ ...SMALL, layerNormEpsilon: 0 })).toThrow(/layerNormEpsilon must be in \(0, 1\); got 0/);
    backbone.model.dispose();
  });

  it('the classifier shares the backbone\'s layers; a loaded classifier finds them again', async () => {
    const vit = new VitImageClassifier({ ...SMALL, layerNormEpsilon: 1e-12 });
    expect(vit.backbone.blocks.every((block) => vit.model.layers.includes(block))).toBe(true);
    const images = tf.randomUniform([1, 8, 8, 3], 0, 1, 'float32', 2);
    const { logits } = vit.forward(images);
    const predicted = vit.predict(images);
    await expectClose(logits, predicted, { atol: 1e-5 });
    const again = new VitImageClassifier(vit.getConfig(), vit.model);
    expect(again.backbone.finalNorm).toBe(vit.backbone.finalNorm);
    expect(again.backbone.blocks).toEqual(vit.backbone.blocks);
    expect(() => new VitImageClassifier({ ...SMALL, depth: 3 }, vit.model)).toThrow(/the model has 2 encoder blocks but the configuration says depth 3/);
    tf.dispose([images, logits, predicted]);
    vit.dispose();
  });
}, { skip: { webgpu: 'software WebGPU in Node is slow; the shipped-model attention test runs on webgpu' } });
