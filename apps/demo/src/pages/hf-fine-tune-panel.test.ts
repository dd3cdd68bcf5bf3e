import { describe, expect, it } from 'vitest';
import { parseLabelledLines } from './hf-fine-tune-panel';

const id2label = { 0: 'negative', 1: 'neutral', 2: 'positive' };

describe('parseLabelledLines', () => {
  it('reads label<TAB>text and text,label lines, by label name or id, skipping blank lines', () => {
    expect(parseLabelledLines('positive\tA fine film.\n\nA dull film, really.,negative\n1\tIt is a film.\r\nPOSITIVE\tGood, very good.', id2label)).toEqual([
      { text: 'A fine film.', label: 2 },
      { text: 'A dull film, really.', label: 0 },
      { text: 'It is a film.', label: 1 },
      { text: 'Good, very good.', label: 2 },
    ]);
  });

  it('names the line, the known labels and the bad label', () => {
    expect(() => parseLabelledLines('positive\tok\nhappy\tA fine film.', id2label)).toThrow('line 2 ("happy\tA fine film."): expected "label<TAB>text" or "text,label" with a label among negative, neutral, positive, got label "happy"');
    expect(() => parseLabelledLines('no label here', id2label)).toThrow('got label ""');
    expect(() => parseLabelledLines('positive\t  ', id2label)).toThrow('line 1 ("positive\t  "): the text is empty');
  });
});

describe('pretrainedFiles', () => {
  it('a fine-tuned BERT as config.json + model.safetensors + tokenizer files that load back (fileListSource) with the same logits and tokens', async () => {
    const tf = await import('@tensorflow/tfjs');
    const { initBackend } = await import('@heed/backends');
    const { fileListSource, fromPretrained, loadHfTokenizer } = await import('@heed/models');
    const { folderSource } = await import('@heed/models/node');
    const { fileURLToPath } = await import('node:url');
    const { fineTuneInTab, pretrainedFiles, readTokenizerFiles } = await import('./hf-fine-tune-panel');
    await initBackend({ backend: 'cpu' });
    const source = folderSource(fileURLToPath(new URL('../../../../packages/models/src/hf/__fixtures__/bert-seq-cls-f32/', import.meta.url)));
    const model = await fromPretrained(source, { onWarning: () => undefined });
    const tokenizer = await loadHfTokenizer(source);
    const examples = parseLabelledLines('positive\tThis film was very good.\nnegative\tThis film was not good.\npositive\tThe cat is cute.\nnegative\tThe dog was bad.', id2label);
    await fineTuneInTab(model, tokenizer, examples, { epochs: 3, learningRate: 5e-3 }); // 3 steps: the first, in warm-up, has lr 0
    const files = await pretrainedFiles(model, await readTokenizerFiles(source, ['tokenizer.json', 'tokenizer_config.json']));
    expect(files.map((file) => file.name)).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
    expect(JSON.parse(await files[0]!.text())).toMatchObject({ architectures: ['BertForSequenceClassification'], model_type: 'bert' });

    const reloaded = await fromPretrained(fileListSource(files), { onWarning: () => undefined });
    const again = await loadHfTokenizer(fileListSource(files));
    const text = 'This film was not very good.';
    expect(again.encode(text).input_ids).toEqual(tokenizer.encode(text).input_ids);
    const inputs = tokenizer.toTensors(tokenizer.encode(text));
    const logitsOf = async (of: typeof model) => {
      const { logits } = of.forward(inputs);
      const data = (await logits!.data()) as Float32Array;
      logits!.dispose();
      return data;
    };
    const trained = await logitsOf(model);
    const loaded = await logitsOf(reloaded);
    expect(Array.from(loaded)).toEqual(Array.from(trained)); // float32 written and read: bit for bit
    const original = await fromPretrained(source, { onWarning: () => undefined });
    const before = await logitsOf(original);
    expect(Math.max(...Array.from(before, (value, index) => Math.abs(value - trained[index]!)))).toBeGreaterThan(1e-4); // the files hold the fine-tuned weights
    tf.dispose([...Object.values(inputs)]);
    for (const each of [model, reloaded, original]) each.dispose();
  }, 60_000);
});
