import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexWeights, modelsPackageDir } from './shipped-weights';

describe('shipped weights plugin', () => {
  it('finds the installed @heed/models package by Node resolution', () => {
    const dir = modelsPackageDir();
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name).toBe('@heed/models');
  });

  it('lists the model folders (config.json, or a legacy model.json), with their files, download size and results', () => {
    const root = mkdtempSync(join(tmpdir(), 'heed-weights-'));
    mkdirSync(join(root, 'heed'));
    writeFileSync(join(root, 'heed', 'config.json'), '{"format":"heed"}'); // 17 bytes
    writeFileSync(join(root, 'heed', 'model.safetensors'), Buffer.alloc(40));
    writeFileSync(join(root, 'heed', '.model.safetensors.1-x-0.tmp'), 'an interrupted save');
    mkdirSync(join(root, 'alpha'));
    writeFileSync(join(root, 'alpha', 'model.json'), '{"a":1}'); // 7 bytes
    writeFileSync(join(root, 'alpha', 'weights.bin'), Buffer.alloc(100));
    writeFileSync(join(root, 'alpha', 'results.json'), '{"accuracy":0.9}');
    writeFileSync(join(root, 'alpha', 'notes.txt'), 'not shipped');
    mkdirSync(join(root, 'gpt')); // a Hugging Face GPT-2 folder
    for (const file of ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'vocab.json', 'merges.txt']) writeFileSync(join(root, 'gpt', file), Buffer.alloc(10));
    writeFileSync(join(root, 'gpt', 'train.log'), 'not shipped');
    mkdirSync(join(root, 'empty')); // no config.json or model.json: not a model
    writeFileSync(join(root, 'README.md'), 'not a folder');
    mkdirSync(join(root, 'broken'));
    writeFileSync(join(root, 'broken', 'model.json'), '{}');
    writeFileSync(join(root, 'broken', 'results.json'), '{not json');
    expect(indexWeights(root)).toEqual({
      models: {
        alpha: { files: ['model.json', 'results.json', 'weights.bin'], bytes: 107, results: { accuracy: 0.9 } },
        heed: { files: ['config.json', 'model.safetensors'], bytes: 57 },
        broken: { files: ['model.json', 'results.json'], bytes: 2 },
        gpt: { files: ['config.json', 'merges.txt', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json', 'vocab.json'], bytes: 60 },
      },
    });
    expect(indexWeights(join(root, 'missing'))).toEqual({ models: {} });
  });
});
