import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPretrained } from '@heed/models/node';
import { SeededRandom } from '@heed/training';
import { afterAll, describe, expect, it } from 'vitest';
import { checkImageLabels, shiftImages, trainVit } from './train-vit';

const work = await mkdtemp(join(tmpdir(), 'heed-train-vit-'));
afterAll(() => rm(work, { recursive: true, force: true }));

describe('heed train vit', () => {
  it('trains, evaluates on the fixed test split, saves the model and writes its RESULTS.md row', async () => {
    const results = join(work, 'RESULTS.md');
    await writeFile(results, '# Results\n\n<!-- results:g2p:start -->\nother engineer\n<!-- results:g2p:end -->\n');
    const report = await trainVit(['--dataset', 'digits', '--limit', '64', '--epochs', '1', '--depth', '1', '--dim', '16', '--heads', '2', '--mlp-dim', '32', '--out', join(work, 'run'), '--results', results, '--export', join(work, 'weights', 'digits')]);
    expect(report.trainExamples).toBe(64);
    // --export writes exactly the shipped layout, loadable by loadPretrained.
    expect((await readdir(join(work, 'weights', 'digits'))).sort()).toEqual(['config.json', 'model.safetensors', 'results.json']);
    const exported = await loadPretrained('digits', join(work, 'weights'));
    expect(exported.getConfig()).toEqual(report.config);
    exported.dispose();
    const shipped = JSON.parse(await readFile(join(work, 'weights', 'digits', 'results.json'), 'utf8')) as { name: string; metrics: { accuracy: number }; command: string; date: string };
    expect(shipped).toMatchObject({ name: 'digits', metrics: { accuracy: report.testAccuracy } });
    expect(shipped.command).toBe('heed train vit --dataset digits --limit 64 --epochs 1 --depth 1 --dim 16 --heads 2 --mlp-dim 32');
    expect(Number.isNaN(Date.parse(shipped.date))).toBe(false);
    expect(report.testExamples).toBe(359);
    expect(report.epochs).toBe(1);
    expect(report.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(report.confusion.flat().reduce((sum, count) => sum + count, 0)).toBe(359);
    const saved = JSON.parse(await readFile(join(work, 'run', 'results.json'), 'utf8')) as { config: { patchSize: number } };
    expect(saved.config.patchSize).toBe(4);
    const attention = JSON.parse(await readFile(join(work, 'run', 'attention-example.json'), 'utf8')) as { grid: number[]; rollout: number[] };
    expect(attention.grid).toEqual([2, 2]);
    expect(attention.rollout).toHaveLength(4);
    expect(await readFile(join(work, 'run', 'attention-example.svg'), 'utf8')).toMatch(/^<svg[\s\S]*Attention rollout, test image 0/);
    const text = await readFile(results, 'utf8');
    expect(text).toContain('other engineer');
    expect(text).toMatch(/<!-- results:vit:start -->[\s\S]*scikit-learn 8×8 digits \(64 \/ 359\)[\s\S]*<!-- results:vit:end -->/);
  }, 120_000);

  it('names bad arguments', async () => {
    await expect(trainVit(['--dataset', 'cifar'])).rejects.toThrow(/--dataset must be one of mnist, digits; got "cifar"/);
    await expect(trainVit(['--epochs', '0'])).rejects.toThrow(/--epochs must be an integer in \[1, 10000\]; got "0"/);
    await expect(trainVit(['--frobnicate'])).rejects.toThrow(/unknown argument "--frobnicate"/);
    await expect(trainVit(['--dataset', 'digits', '--patch-size', '3', '--out', join(work, 'bad')])).rejects.toThrow(/image size 8×8 is not divisible by patchSize 3/);
  });

  it('refuses unknown labels in the training data', () => {
    const set = { images: new Float32Array(3 * 4), labels: Int32Array.of(0, 9, 10), sources: Int32Array.of(0, 1, 2), count: 3, shape: [3, 2, 2, 1] as [number, number, number, number] };
    expect(() => checkImageLabels(set, 10, 'training')).toThrow(/training image 2 has label 10; labels must be integers in \[0, 9\]/);
    expect(() => checkImageLabels({ ...set, labels: Int32Array.of(0, -1, 3) }, 10, 'test')).toThrow(/test image 1 has label -1/);
    expect(() => checkImageLabels({ ...set, labels: Int32Array.of(0, 1, 9) }, 10, 'training')).not.toThrow();
  });

  it('shifts images by whole pixels, filling with zeros', () => {
    const set = { images: Float32Array.from({ length: 9 }, (_, index) => index + 1), labels: Int32Array.of(0), sources: Int32Array.of(0), count: 1, shape: [1, 3, 3, 1] as [number, number, number, number] };
    expect(Array.from(shiftImages(set, [0], 0, new SeededRandom(1)))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const shifted = Array.from(shiftImages(set, [0], 1, new SeededRandom(3)));
    expect(shifted.filter((value) => value === 0).length).toBeGreaterThanOrEqual(0);
    expect(shifted.every((value) => value === 0 || set.images.includes(value))).toBe(true);
  });
});

