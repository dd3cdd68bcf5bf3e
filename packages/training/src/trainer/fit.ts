import type { TrainingData } from '../data/training-data';
import { Trainer } from './trainer';
import type { FitOptions, FitResult, TrainerConfig } from './trainer-types';

/**
 * One-call training: builds a {@link Trainer} from `config`, fits it, and returns the result
 * with the trainer (for `evaluate`, `predict`, `save`).
 *
 * @example
 * ```ts
 * const { history, trainer } = await fit({ model, loss }, { x, y }, { epochs: 5, validationSplit: 0.2 });
 * ```
 */
export async function fit(config: TrainerConfig, data: TrainingData, options: FitOptions): Promise<FitResult & { trainer: Trainer }> {
  const trainer = new Trainer(config);
  return { ...(await trainer.fit(data, options)), trainer };
}
