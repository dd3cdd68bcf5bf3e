// heed hf predict: a text through the fixture BERT classifier (probabilities = softmax of PyTorch's
// logits in reference.json), a PNG through the fixture ViT (preprocessed with PIL and run by the
// PyTorch reference: vit-image-predict.json from make_image_processor_fixture.py), a masked LM,
// the attention views, and the errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HF_FIXTURES, runHeed } from '../__fixtures__/hub-server';
import type { HfPrediction } from './hf-predict';

const softmax = (row: number[]) => {
  const exp = row.map((value) => Math.exp(value - Math.max(...row)));
  return exp.map((value) => value / exp.reduce((a, b) => a + b, 0));
};
const png = new URL('../__fixtures__/vit-image.png', import.meta.url).pathname;

describe('heed hf predict', () => {
  it('a text: every label with softmax(PyTorch logits), most probable first, and the attention views', async () => {
    const reference = JSON.parse(readFileSync(join(HF_FIXTURES, 'bert-seq-cls-f32', 'reference.json'), 'utf8')) as { outputs: { logits: { data: number[] } } };
    const expected = softmax(reference.outputs.logits.data.slice(3, 6)); // row 1: "This film was not very good."
    const result = await runHeed(['hf', 'predict', join(HF_FIXTURES, 'bert-seq-cls-f32'), 'This film was not very good.', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const prediction = JSON.parse(result.stdout) as HfPrediction;
    const labels = ['negative', 'neutral', 'positive'];
    expect(prediction.labels!.map(({ label }) => label)).toEqual([...labels].sort((a, b) => expected[labels.indexOf(b)]! - expected[labels.indexOf(a)]!));
    for (const { label, score } of prediction.labels!) expect(score).toBeCloseTo(expected[labels.indexOf(label)]!, 5);
    expect(prediction.tokens).toEqual(['[CLS]', 'this', 'film', 'was', 'not', 'very', 'good', '.', '[SEP]']);
    expect(prediction.rollout).toHaveLength(9);
    expect(prediction.rollout.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(prediction.last_layer_attention.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(new Array(9).fill(expect.closeTo(1, 5)));
    const text = await runHeed(['hf', 'predict', join(HF_FIXTURES, 'bert-seq-cls-f32'), 'This film was not very good.']);
    expect(text.stdout).toMatch(new RegExp(`^${prediction.labels![0]!.label}\\s+${prediction.labels![0]!.score.toFixed(4)}  █+\\n`));
    expect(text.stdout).toContain('attention rollout from [CLS] (all layers, heads averaged):\n  [CLS]');
    expect(text.stdout).toContain('last layer, heads averaged (rows: queries, columns: keys in order; darker = more):\n');
    // @heed/viz's text heatmap: one row per token, 9 shades, then the scale.
    const heatmap = text.stdout.split('last layer, heads averaged')[1]!.split('\n').slice(1, 11);
    expect(heatmap[0]).toMatch(/^ *\[CLS\] [ .:\-=+*#%@]{9}$/);
    expect(heatmap[9]).toMatch(/scale: ' ' 0 … '@' 0\.\d+/);
  });

  it('--image: a PNG resized and normalised per preprocessor_config.json gives the PyTorch probabilities', async () => {
    const reference = JSON.parse(readFileSync(join(HF_FIXTURES, 'vit-image-predict.json'), 'utf8')) as { probabilities: number[] };
    const result = await runHeed(['hf', 'predict', join(HF_FIXTURES, 'vit-image-cls-f32'), '--image', png, '--json']);
    expect(result.status, result.stderr).toBe(0);
    const prediction = JSON.parse(result.stdout) as HfPrediction;
    const labels = ['negative', 'neutral', 'positive'];
    for (const { label, score } of prediction.labels!) expect(score).toBeCloseTo(reference.probabilities[labels.indexOf(label)]!, 5);
    expect(prediction.patches).toEqual([4, 4]);
    expect(prediction.rollout).toHaveLength(17);
    const text = await runHeed(['hf', 'predict', join(HF_FIXTURES, 'vit-image-cls-f32'), '--image', png]);
    expect(text.stdout).toContain('attention rollout from [CLS] over the 4×4 patches (darker = more):\n');
    expect(text.stdout).toMatch(/row 0 [ .:\-=+*#%@]{8}\n/);
  });

  it('a masked LM: the five most probable tokens at [MASK]', async () => {
    const result = await runHeed(['hf', 'predict', join(HF_FIXTURES, 'bert-mlm-f16'), 'hello, my [MASK] is cute', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const prediction = JSON.parse(result.stdout) as HfPrediction;
    expect(prediction.masks).toHaveLength(1);
    expect(prediction.masks![0]!.position).toBe(4);
    const scores = prediction.masks![0]!.predictions.map(({ score }) => score);
    expect(scores).toHaveLength(5);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('errors: no text and no image, text to an image model, a base model, a missing image', async () => {
    expect((await runHeed(['hf', 'predict', join(HF_FIXTURES, 'bert-seq-cls-f32')])).stderr).toContain('heed hf predict: give a "text" or --image FILE (one of them)');
    expect((await runHeed(['hf', 'predict', join(HF_FIXTURES, 'vit-image-cls-f32'), 'a cat'])).stderr).toContain('is a ViT image model; give --image FILE');
    expect((await runHeed(['hf', 'predict', join(HF_FIXTURES, 'bert-seq-cls-f32'), '--image', png])).stderr).toContain('--image given, but');
    expect((await runHeed(['hf', 'predict', join(HF_FIXTURES, 'roberta-seq-cls-f32'), 'hello'])).stderr).toContain('a text needs a tokenizer, but');
    expect((await runHeed(['hf', 'predict', join(HF_FIXTURES, 'bert-base-bf16'), 'hello'])).stderr).toMatch(/BertModel has no classification or masked-LM head; use heed hf forward/);
    expect((await runHeed(['hf', 'predict', join(HF_FIXTURES, 'vit-image-cls-f32'), '--image', '/nonexistent.png'])).stderr).toContain('cannot read image /nonexistent.png');
  });
});
