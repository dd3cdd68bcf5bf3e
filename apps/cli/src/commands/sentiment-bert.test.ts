// `heed eval` / `heed predict` on the shipped sentiment BERTs (Hugging Face layout, HfTextClassifier).
import { initBackend } from '@heed/backends';
import { pretrainedPath, readPretrainedResults } from '@heed/models/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { evalClassifier, predictClassifier, type TextPrediction } from './classifier-tasks';

beforeAll(() => initBackend({ backend: 'wasm' }));

describe('heed eval / predict sentiment-bert and sentiment-cross-bert', () => {
  it.each(['sentiment-bert', 'sentiment-cross-bert'] as const)('%s: eval --split test reproduces results.json (accuracy and confusion); --model reads the same folder', async (name) => {
    const results = await readPretrainedResults(name);
    const report = await evalClassifier(name, ['--split', 'test']);
    expect(report.labels).toEqual(['negative', 'positive']);
    expect(report.accuracy).toBe(results.metrics.accuracy);
    expect(report.confusion).toEqual((results.metrics as { confusion: number[][] }).confusion);
    expect(report.examples).toBe(name === 'sentiment-bert' ? 149 : 1000);
    const validation = await evalClassifier(name, ['--split', 'validation', '--model', pretrainedPath(name)]);
    expect(validation.accuracy).toBe((results.validation as { accuracy: number }).accuracy);
  }, 300_000);

  it('predict classifies a text with one weight per token; a folder that is not a Hugging Face one is named', async () => {
    const [prediction] = (await predictClassifier('sentiment-bert', ['The', 'food', 'was', 'wonderful', 'and', 'the', 'staff', 'were', 'friendly.'])) as TextPrediction[];
    expect(prediction!.predicted).toBe('positive');
    expect(prediction!.tokens[0]!.token).toBe('[CLS]');
    expect(prediction!.tokens.reduce((sum, entry) => sum + entry.weight, 0)).toBeCloseTo(1, 5);
    await expect(predictClassifier('sentiment-bert', ['--model', pretrainedPath('sentiment'), 'good'])).rejects.toThrow(/--model .*cannot load a HfTextClassifier/);
  }, 120_000);
});
