import type { HfModel } from './hf-model';
import { pretrainedConfigJson, pretrainedStateDict, type SavePretrainedOptions } from './pretrained-checkpoint';
import { safetensorsCheckpointFiles, writeCheckpointFiles } from './safetensors/safetensors-node';

/** Options of {@link savePretrained}. */
export interface SavePretrainedNodeOptions extends SavePretrainedOptions {
  /** Largest shard in bytes (default 5 GB, as `save_pretrained`); above it: shards + `model.safetensors.index.json`. */
  readonly maxShardBytes?: number;
}

/**
 * transformers' `save_pretrained(dir)`: writes `config.json` (with `architectures` and
 * `torch_dtype`) and `model.safetensors` in the HF layout (names, `(out, in)` Linear weights, tied
 * weights once, `{"format": "pt"}` metadata), which PyTorch and heed's {@link fromPretrained} load.
 * Each file is streamed to a temporary name first (tensor by tensor, no second copy of the weights)
 * and renamed only when every file is complete (config last), through @heed/backends'
 * `writeFilesAtomically`: a failed save leaves the folder's previous checkpoint intact. Node only
 * (`@heed/models/node`); browsers use {@link serializePretrained}.
 *
 * @returns The files written.
 * @example
 * ```ts
 * await savePretrained(model, 'out/bert-finetuned'); // ["model.safetensors", "config.json"]
 * const again = await fromPretrained(folderSource('out/bert-finetuned'));
 * ```
 */
export async function savePretrained(model: HfModel, dir: string, options: SavePretrainedNodeOptions = {}): Promise<string[]> {
  if (typeof dir !== 'string' || dir.length === 0) throw new TypeError(`savePretrained: dir must be a folder path; got ${JSON.stringify(dir)}`);
  const tensors = pretrainedStateDict(model, options);
  const config = pretrainedConfigJson(model, options);
  const weights = safetensorsCheckpointFiles(dir, tensors, { maxShardBytes: options.maxShardBytes, metadata: { format: 'pt' } });
  await writeCheckpointFiles(dir, [...weights, { name: 'config.json', data: config }]);
  return [...weights.map((file) => file.name), 'config.json'];
}
