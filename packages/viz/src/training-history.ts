/** Training curves as aligned columns: one x value per point and one value (or gap) per series. */
export interface TrainingCurvesData {
  /** x values (steps or epochs), non-decreasing, N. */
  steps: ArrayLike<number>;
  /** Each series has N values; `null` (or a non-finite number) is a gap. */
  series: ReadonlyArray<{ name: string; values: ArrayLike<number | null> }>;
}

/**
 * Collects metrics as training runs (per step or per epoch), keeping every series aligned on
 * the same x values so curves can be drawn at any time: metrics logged at a step that already
 * exists are merged into it, missing metrics become gaps.
 *
 * @example
 * ```ts
 * const history = new TrainingHistory();
 * history.push(1, { loss: 2.3 });
 * history.push(2, { loss: 1.9 });
 * history.push(2, { valLoss: 2.0 }); // same step: merged
 * trainingCurvesSvg(history.data);
 * ```
 */
export class TrainingHistory {
  readonly steps: number[] = [];
  private readonly columns = new Map<string, Array<number | null>>();

  /** Names of the series, in the order they first appeared. */
  get names(): string[] {
    return [...this.columns.keys()];
  }

  /** The values of one series (aligned with `steps`), or undefined. */
  values(name: string): ReadonlyArray<number | null> | undefined {
    return this.columns.get(name);
  }

  /** Aligned snapshot for the renderers. */
  get data(): TrainingCurvesData {
    return { steps: this.steps, series: this.names.map((name) => ({ name, values: this.columns.get(name)! })) };
  }

  /** Records `metrics` at x = `step` (steps must not decrease). */
  push(step: number, metrics: Readonly<Record<string, number>>): void {
    if (!Number.isFinite(step)) throw new Error(`TrainingHistory.push: step must be a finite number; got ${step}`);
    const last = this.steps[this.steps.length - 1];
    if (last !== undefined && step < last) throw new Error(`TrainingHistory.push: step must not decrease; got ${step} after ${last}`);
    if (last !== step) {
      this.steps.push(step);
      for (const column of this.columns.values()) column.push(null);
    }
    const index = this.steps.length - 1;
    for (const [name, value] of Object.entries(metrics)) {
      let column = this.columns.get(name);
      if (!column) {
        column = Array<number | null>(this.steps.length).fill(null);
        this.columns.set(name, column);
      }
      column[index] = Number.isFinite(value) ? value : null;
    }
  }

  /** Forgets everything. */
  clear(): void {
    this.steps.length = 0;
    this.columns.clear();
  }
}
