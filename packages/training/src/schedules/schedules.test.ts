import { describe, expect, it } from 'vitest';
import { budgetCosineSchedule } from './budget-cosine-schedule';
import { constantSchedule } from './constant-schedule';
import { inverseSqrtSchedule } from './inverse-sqrt-schedule';
import { stepDecaySchedule } from './step-decay-schedule';
import { warmupCosineSchedule } from './warmup-cosine-schedule';

const curve = (at: (step: number) => number, steps: number) => Array.from({ length: steps }, (_, step) => at(step));

describe('schedule shapes', () => {
  it('constant', () => {
    expect(new Set(curve(constantSchedule(0.01).at, 50))).toEqual(new Set([0.01]));
  });

  it('inverse sqrt: the paper formula, linear up to the warm-up peak, then ∝ 1/sqrt(step)', () => {
    const schedule = inverseSqrtSchedule({ modelDim: 512, warmupSteps: 4000 });
    // Vaswani et al. eq. 3, written out independently.
    const paper = (step: number) => 512 ** -0.5 * Math.min(step ** -0.5, step * 4000 ** -1.5);
    for (const step of [1, 10, 1000, 3999, 4000, 4001, 20000, 100000]) expect(schedule.at(step - 1)).toBeCloseTo(paper(step), 12);
    const values = curve(schedule.at, 12000);
    const peakStep = values.indexOf(Math.max(...values));
    expect(peakStep).toBe(3999);
    expect(values[1999]! / values[999]!).toBeCloseTo(2, 10); // linear warm-up
    expect(schedule.at(4 * 4000 - 1) / schedule.at(4000 - 1)).toBeCloseTo(0.5, 10); // 4x the steps -> half the rate
  });

  it('warmup + cosine: linear rise, peak at the end of warm-up, monotone fall to the floor, then flat', () => {
    const schedule = warmupCosineSchedule({ peakLearningRate: 1, warmupSteps: 10, totalSteps: 110, minLearningRate: 0.1 });
    const values = curve(schedule.at, 130);
    expect(values[0]).toBeCloseTo(0.1, 12);
    expect(values[9]).toBe(1);
    expect(values[59]).toBeCloseTo(0.55, 12); // half way: the mean of peak and floor
    for (let step = 10; step < 130; step++) expect(values[step]!).toBeLessThanOrEqual(values[step - 1]!);
    expect(values[109]).toBeCloseTo(0.1, 12);
    expect(values[129]).toBeCloseTo(0.1, 12);
  });

  it('budget cosine (heed train g2p): linear warm-up, then a cosine from the peak to 1% of it over the budget', () => {
    let used = 0; // the fraction of the budget used, as a run's clock would report it
    const schedule = budgetCosineSchedule({ peakLearningRate: 0.003, warmupSteps: 300, progress: () => used });
    expect(schedule.at(0)).toBeCloseTo(0.00001, 12); // 0.003 · 1/300
    used = 0.001;
    expect(schedule.at(149)).toBeCloseTo(0.0015, 12);
    used = 0;
    expect(schedule.at(5000)).toBeCloseTo(0.003, 12);
    used = 0.5;
    expect(schedule.at(5000)).toBeCloseTo(0.00003 + 0.00297 * 0.5, 12);
    expect(schedule.at(100)).toBeCloseTo((0.003 * 101) / 300, 12); // still warming up: the ramp is below the cosine
    used = 1;
    expect(schedule.at(5000)).toBeCloseTo(0.00003, 12);
    used = 1.7;
    expect(schedule.at(5000)).toBeCloseTo(0.00003, 12); // past the budget
    expect(budgetCosineSchedule({ peakLearningRate: 1, warmupSteps: 0, finalFraction: 0, progress: (step) => step / 10 }).at(5)).toBeCloseTo(0.5, 12);
    expect(() => budgetCosineSchedule({ peakLearningRate: 1, warmupSteps: 1.5, progress: () => 0 })).toThrow('warmupSteps must be a non-negative integer, got 1.5');
  });

  it('step decay: piecewise constant, multiplied at each boundary', () => {
    const schedule = stepDecaySchedule({ initialLearningRate: 0.1, decayFactor: 0.5, stepSize: 100 });
    expect([0, 99, 100, 199, 200, 250].map(schedule.at)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
  });
});

describe('bad settings name the values', () => {
  it('rejects them', () => {
    expect(() => constantSchedule(-1)).toThrow('learningRate must be a positive number, got -1');
    expect(() => inverseSqrtSchedule({ warmupSteps: 0, modelDim: 512 })).toThrow('warmupSteps must be a positive integer, got 0');
    expect(() => inverseSqrtSchedule({ warmupSteps: 10 })).toThrow('exactly one of modelDim and peakLearningRate');
    expect(() => warmupCosineSchedule({ peakLearningRate: 1, warmupSteps: 20, totalSteps: 10 })).toThrow('warmupSteps must be an integer in [0, totalSteps=10), got 20');
    expect(() => stepDecaySchedule({ initialLearningRate: 1, decayFactor: 2, stepSize: 5 })).toThrow('decayFactor must be in (0, 1], got 2');
  });
});
