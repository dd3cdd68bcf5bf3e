/**
 * A learning rate as a function of the optimizer step (0 for the first update). Plain data plus
 * one pure function, so a schedule resumes exactly from a checkpoint's step count.
 *
 * @example
 * ```ts
 * // A custom schedule: halve the rate every 1000 updates.
 * const halving: LearningRateSchedule = { config: { name: 'halving' }, at: (step) => 1e-3 * 0.5 ** Math.floor(step / 1000) };
 * ```
 */
export interface LearningRateSchedule {
  /** The schedule's name and settings, for logs and checkpoints. */
  readonly config: { readonly name: string } & Readonly<Record<string, number | string>>;
  /** The learning rate of update number `step` (0-based). */
  at(step: number): number;
}

/** @internal Throws a RangeError naming a setting that must be a positive number. */
export function checkPositive(value: number, name: string): void {
  if (!(Number.isFinite(value) && value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
}

/** @internal Throws a RangeError naming a setting that must be a positive integer. */
export function checkPositiveInteger(value: number, name: string): void {
  if (!(Number.isInteger(value) && value > 0)) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}
