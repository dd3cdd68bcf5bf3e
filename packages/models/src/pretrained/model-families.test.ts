import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BILSTM_ATTENTION_PRESETS } from '../bilstm-attention/presets';
import { TEXT_TRANSFORMER_PRESETS } from '../text-transformer/presets';
import { VIT_PRESETS } from '../vit/presets';
import { pretrainedPath } from './load-pretrained-node';
import type { HeedConfigJson } from './heed-format';
import { detectModelFamily, familyOfHfModelType, modelFamilies, modelFamily, registerModelFamily, type SavedModelJson } from './model-families';
import { PRETRAINED_MODELS, PRETRAINED_NAMES } from './pretrained-models';

const readJson = async (name: (typeof PRETRAINED_NAMES)[number]) => JSON.parse(await readFile(join(pretrainedPath(name), 'config.json'), 'utf8')) as HeedConfigJson;

describe('model families and presets', () => {
  it('every shipped config.json names the family its preset names, and legacy model.json files are detected by family', async () => {
    for (const name of PRETRAINED_NAMES) {
      const json = (await readJson(name)) as HeedConfigJson & { model_type?: string; architectures?: string[] };
      // The hf-text models ship in Hugging Face layout: their config.json names the HF architecture, not a heed family.
      if (PRETRAINED_MODELS[name].kind === 'hf-text') expect([json.model_type, json.architectures, json.family], name).toEqual(['bert', ['BertForSequenceClassification'], undefined]);
      else expect(json.family, name).toBe(PRETRAINED_MODELS[name].kind);
    }
    expect(detectModelFamily({ format: 'layers-model', userDefinedMetadata: { heedVisionTransformer: {} } })?.name).toBe('vit');
    expect(detectModelFamily({ format: 'heed-seq2seq' })?.name).toBe('seq2seq');
    expect(detectModelFamily({ format: 'layers-model', userDefinedMetadata: {} })).toBeUndefined();
  });

  it('the presets hold the architecture saved with the shipped weights', async () => {
    for (const [name, preset] of Object.entries(VIT_PRESETS)) expect((await readJson(name as 'digits')).config).toMatchObject(preset.config); // plus the resolved defaults
    for (const [name, preset] of Object.entries({ ...BILSTM_ATTENTION_PRESETS, ...TEXT_TRANSFORMER_PRESETS })) {
      expect((await readJson(name as 'spam')).config).toMatchObject(preset.config);
    }
    expect(PRETRAINED_NAMES).toEqual(['g2p', 'mnist', 'digits', 'sentiment', 'sentiment-transformer', 'spam', 'sentiment-bert', 'sentiment-cross-bert']);
  });

  it('is a registry keyed by name, open to new families and HF model_types', () => {
    expect(modelFamilies().map((family) => family.name)).toEqual(expect.arrayContaining(['seq2seq', 'vit', 'text']));
    expect(familyOfHfModelType('vit')?.name).toBe('vit');
    expect(familyOfHfModelType('gpt2')).toBeUndefined();
    expect(() => modelFamily('cnn')).toThrow(/unknown family "cnn"; known: seq2seq, vit, text/);
    expect(() => registerModelFamily({ ...modelFamily('vit') })).toThrow(/a family named "vit" is already registered/);
    expect(() => registerModelFamily({ ...modelFamily('vit'), name: '' })).toThrow(/family.name must be a non-empty string; got ""/);
    const family = { name: 'test-family', description: 'a test', hfModelTypes: ['test_type'], detect: (json: SavedModelJson) => json.format === 'test', load: () => Promise.resolve('loaded') };
    registerModelFamily(family);
    expect(modelFamily('test-family')).toBe(family);
    expect(detectModelFamily({ format: 'test' })).toBe(family);
    expect(familyOfHfModelType('test_type')).toBe(family);
  });
});
