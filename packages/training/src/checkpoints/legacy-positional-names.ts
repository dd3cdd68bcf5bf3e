import type { ModelWeight } from '../trainer/trainable-model';
import type { CheckpointContents } from './checkpoint-artifacts';

/** Whether `name` is weight `index`'s positional name: `"3"` (heed's G2P trainer) or `"3:kernel"` (`fromLayersModel`). */
const isPositional = (name: string, index: number) => name === String(index) || name.startsWith(`${index}:`);

/**
 * @internal Checkpoints of heed ≤ 0.1 named model weights by position: `"0"`, `"1"`, … (`heed
 * train g2p`) or `"<index>:<last name part>"` (`fromLayersModel`). When the checkpoint holds
 * exactly the positional names of `weights` and none of their role names, returns it with its
 * weights, display names, optimizer slots (`<weight>/<slot>`) and accumulated gradients renamed
 * to the role names (the same tensors); otherwise returns it unchanged.
 */
export function renameLegacyPositional(contents: CheckpointContents, weights: readonly ModelWeight[]): CheckpointContents {
  const saved = Object.keys(contents.modelWeights);
  const roles = new Set(weights.map((weight) => weight.name));
  const legacy = saved.length === weights.length && saved.every(isPositional) && !saved.some((name) => roles.has(name));
  if (!legacy) return contents;
  const renamed = new Map(saved.map((name, index) => [name, weights[index]!.name]));
  const rename = <T>(map: Readonly<Record<string, T>>, key: (name: string) => string | undefined) =>
    Object.fromEntries(Object.entries(map).map(([name, value]) => [key(name) ?? name, value]));
  const slotName = (name: string) => {
    const cut = name.indexOf('/');
    const weight = cut < 0 ? undefined : renamed.get(name.slice(0, cut));
    return weight === undefined ? undefined : `${weight}${name.slice(cut)}`;
  };
  return {
    ...contents,
    modelWeights: rename(contents.modelWeights, (name) => renamed.get(name)),
    displayNames: rename(contents.displayNames, (name) => renamed.get(name)),
    optimizerSlots: rename(contents.optimizerSlots, slotName),
    ...(contents.accumulatedGradients ? { accumulatedGradients: rename(contents.accumulatedGradients, (name) => renamed.get(name)) } : {}),
  };
}
