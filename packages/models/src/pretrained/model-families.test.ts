import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BILSTM_ATTENTION_PRESETS } from '../bilstm-attention/presets';
import { TEXT_TRANSFORMER_PRESETS } from '../text-transformer/presets';
import { VIT_PRESETS } from '../vit/presets';
import { pretrainedPath } from './load-pretrained-node';
import { detectModelFamily, familyOfHfModelType, modelFamilies, modelFamily, registerModelFamily, type SavedModelJson } from './model-families';
import { PRETRAINED_MODELS, PRETRAINED_NAMES } from './pretrained-models';

const readJson = async (name: (typeof PRETRAINED_NAMES)[number]) => JSON.parse(await readFile(join(pretrainedPath(name), 'model.json'), 'utf8')) as SavedModelJson;

describe('model families and presets', () => {
  it('every shipped model.json is detected as the family its preset names', async () => {
    for (const name of PRETRAINED_NAMES) expect(detectModelFamily(await readJson(name))?.name, name).toBe(PRETRAINED_MODELS[name].kind);
    expect(detectModelFamily({ format: 'layers-model', userDefinedMetadata: {} })).toBeUndefined();
  });

  it('the presets hold the architecture saved with the shipped weights', async () => {
    for (const [name, preset] of Object.entries(VIT_PRESETS)) expect((await readJson(name as 'digits')).userDefinedMetadata?.heedVisionTransformer).toEqual(preset.config);
    for (const [name, preset] of Object.entries({ ...BILSTM_ATTENTION_PRESETS, ...TEXT_TRANSFORMER_PRESETS })) {
      expect((await readJson(name as 'spam')).userDefinedMetadata?.heedTextClassifier).toMatchObject({ config: preset.config });
    }
    expect(PRETRAINED_NAMES).toEqual(['g2p', 'mnist', 'digits', 'sentiment', 'sentiment-transformer', 'spam']);
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
