import type { ModelWeight } from '../trainer/trainable-model';
import type { CheckpointContents } from './checkpoint-artifacts';

const describe = (shape: readonly number[]) => `[${shape.join(', ')}]`;

/**
 * @internal Throws, naming the first difference, unless the checkpoint's model weights have the
 * model's names and shapes and it was saved with the same kind of optimizer.
 */
export function checkCheckpointMatches(contents: CheckpointContents, weights: readonly ModelWeight[], optimizerConfig: { name: string }): void {
  const saved = Object.entries(contents.modelWeights);
  const listing = (entries: [string, readonly number[]][]) => entries.map(([name, shape]) => `${name} ${describe(shape)}`).join(', ');
  if (saved.length !== weights.length) {
    throw new Error(
      `checkpoint does not match the model architecture: the checkpoint holds ${saved.length} weights (${listing(saved.map(([name, tensor]) => [name, tensor.shape]))}) ` +
        `but the model has ${weights.length} (${listing(weights.map((weight) => [weight.name, weight.variable.shape]))})`,
    );
  }
  weights.forEach((weight, index) => {
    const [name, tensor] = saved[index]!;
    if (name !== weight.name || tensor.shape.join() !== weight.variable.shape.join()) {
      throw new Error(
        `checkpoint does not match the model architecture: weight ${index} is ${name} ${describe(tensor.shape)} (${contents.displayNames[name] ?? name}) in the checkpoint ` +
          `but ${weight.name} ${describe(weight.variable.shape)} (${weight.displayName}) in the model`,
      );
    }
  });
  if (contents.optimizerConfig.name !== optimizerConfig.name) {
    throw new Error(`checkpoint was saved with optimizer "${String(contents.optimizerConfig.name)}" but this trainer uses "${optimizerConfig.name}"`);
  }
}
