// GPT-2 from Hugging Face layout against the PyTorch reference (scripts/hf/gpt2_reference.py) on
// every backend: logits, hidden states and attentions, one step's gradients, left-padded positions.
import * as tf from '@tensorflow/tfjs';
import { describeBackends, expectClose, expectNoLeaks, TEST_BACKENDS } from '@heed/backends/testing';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { fromPretrained } from '../hf/from-pretrained';
import type { HfModelOutput } from '../hf/hf-model';
import { folderSource } from '../hf/sources/folder-source-node';
import { disposeInputs, expectOutputsClose, hfGradients, outputTensors, readSafetensors, textInputs } from '../hf/testing/hf-fixtures';
import type { GPT2LMHeadModel } from './gpt2-lm-head-model';
import type { GPT2Model } from './gpt2-model';
import { perplexity } from '@heed/training';
import { crossEntropyShifted } from './gpt2-loss';
import { GPT2_FIXTURES, gpt2Reference } from './testing/gpt2-fixtures';

await describeBackends(TEST_BACKENDS, () => {
  it.each([
    ['gpt2-lm-f32', 'GPT2LMHeadModel'],
    ['gpt2-base-f16', 'GPT2Model'],
  ])('%s: %s logits, hidden states and attentions equal PyTorch (1e-5), no leaks', async (name, architecture) => {
    const reference = await gpt2Reference(name);
    const warnings: string[] = [];
    const model = await fromPretrained<GPT2Model>(folderSource(join(GPT2_FIXTURES, name)), { onWarning: (warning) => warnings.push(warning) });
    expect(model.architecture).toBe(architecture);
    expect(warnings).toEqual([]); // the attn.bias / attn.masked_bias buffers and the tied lm_head.weight are skipped silently
    const inputs = textInputs(reference);
    let output: HfModelOutput | undefined;
    await expectNoLeaks(() => outputTensors((output = model.forward(inputs, { outputHiddenStates: true, outputAttentions: true }))), `${architecture}.forward`);
    await expectOutputsClose(output!, reference, 1e-5);
    tf.dispose(outputTensors(output!));
    // Without outputAttentions (the fused attention may run) the logits are the same.
    const fast = model.forward(inputs);
    await expectClose(await (fast.logits ?? fast.last_hidden_state).data(), (reference.outputs.logits ?? reference.outputs.last_hidden_state).data, { atol: 1e-5, rtol: 0 });
    tf.dispose(outputTensors(fast));
    disposeInputs(inputs);
    model.dispose();
  });

  it('gpt2-lm-f32: forward with labels gives the causal-LM loss, and one step\'s every gradient equals PyTorch (1e-4)', async () => {
    const name = 'gpt2-lm-f32';
    const reference = await gpt2Reference(name);
    const model = await fromPretrained<GPT2LMHeadModel>(folderSource(join(GPT2_FIXTURES, name)), { onWarning: () => undefined });
    const inputs = textInputs(reference);
    const rows = reference.labels as number[][]; // the input ids, -100 on the right padding (not shifted)
    const labels = tf.tensor2d(rows, undefined, 'int32');
    const expected = await readSafetensors(join(GPT2_FIXTURES, name, 'gradients.safetensors'));
    // The loss as forward returns it (labels shifted inside), and the array form: the same gradients.
    const losses: [string, (output: HfModelOutput) => tf.Scalar, boolean][] = [
      ['forward({ labels }).loss', () => model.forward({ ...inputs, labels }).loss!, true],
      ['crossEntropyShifted', ({ logits }) => crossEntropyShifted(logits as tf.Tensor3D, rows), false],
    ];
    for (const [label, loss, checkAll] of losses) {
      const before = tf.memory().numTensors;
      const { value, grads } = await hfGradients(model, inputs, loss);
      expect(tf.memory().numTensors, label).toBe(before);
      expect(value, label).toBeCloseTo(reference.loss!, 5);
      expect([...grads.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [tensor, gradient] of checkAll ? grads : [...grads].slice(0, 3)) await expectClose(gradient, expected.get(tensor)!.data, { atol: 1e-4, rtol: 0, label: `${label}: ${tensor}` });
    }
    const { loss, logits } = model.forward({ ...inputs, labels });
    expect(loss!.shape).toEqual([]);
    expect(logits.shape).toEqual([...labels.shape, model.config.vocab_size]);
    tf.dispose([loss!, logits]);
    // Labels are checked: shape of input_ids, ids of the vocabulary or -100.
    const wrong = tf.tensor2d([[1, 2]], undefined, 'int32');
    const outsideTensor = tf.tensor2d(rows.map((row, i) => row.map((id, t) => (i === 0 && t === 1 ? 297 : id))), undefined, 'int32');
    expect(() => model.forward({ ...inputs, labels: wrong })).toThrow(`GPT2LMHeadModel.forward: labels must be a tf.Tensor2D of the shape of input_ids [${labels.shape.join(', ')}]`);
    if (tf.getBackend() !== 'webgpu') expect(() => model.forward({ ...inputs, labels: outsideTensor })).toThrow('labels[0][1] is 297, neither -100 (ignored) nor an id of the vocabulary [0, 297)');
    tf.dispose([labels, wrong, outsideTensor]);
    disposeInputs(inputs);
    model.dispose();
  });

  it('gpt2-lm-f32: perplexity of a held-out text equals run_clm\'s exp(eval_loss) in PyTorch (blocks of 8), no leaks', async () => {
    const reference = await gpt2Reference('gpt2-lm-f32');
    const held = reference.perplexity!;
    const model = await fromPretrained<GPT2LMHeadModel>(folderSource(join(GPT2_FIXTURES, 'gpt2-lm-f32')), { onWarning: () => undefined });
    const result = await expectNoLeaks(() => perplexity((input_ids) => model.forward({ input_ids }).logits, [held.ids], { blockSize: held.block_size, batchSize: 4 }));
    expect(result.blocks).toBe(held.blocks);
    expect(result.tokens).toBe(held.blocks * (held.block_size - 1));
    expect(result.loss).toBeCloseTo(held.eval_loss, 5);
    expect(Math.abs(result.perplexity / held.perplexity - 1)).toBeLessThan(1e-5);
    model.dispose();
  });

  it('gpt2-lm-f32: a left-padded batch with generation position ids gives PyTorch last-token logits', async () => {
    const reference = await gpt2Reference('gpt2-lm-f32');
    const model = await fromPretrained<GPT2LMHeadModel>(folderSource(join(GPT2_FIXTURES, 'gpt2-lm-f32')), { onWarning: () => undefined });
    const left = reference.left_padded!;
    const inputs = { input_ids: tf.tensor2d(left.input_ids, undefined, 'int32'), attention_mask: tf.tensor2d(left.attention_mask, undefined, 'int32'), position_ids: tf.tensor2d(left.position_ids, undefined, 'int32') };
    const { logits } = model.forward(inputs);
    const [batch, time, vocab] = logits!.shape;
    const last = tf.slice(logits!, [0, time! - 1, 0], [batch!, 1, vocab!]);
    await expectClose(await last.data(), left.last_logits.data, { atol: 1e-5, rtol: 0 });
    tf.dispose([logits!, last, ...Object.values(inputs)]);
    model.dispose();
  });
});
