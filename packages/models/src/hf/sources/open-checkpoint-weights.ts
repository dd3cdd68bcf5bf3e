import { SafetensorsReader } from '../safetensors/safetensors-reader';
import { SAFETENSORS_FILE, SAFETENSORS_INDEX_FILE, ShardedSafetensorsReader, type TensorReader } from '../safetensors/sharded-safetensors';
import { CheckpointSourceError, type CheckpointSource } from './checkpoint-source';

/**
 * Opens a checkpoint's weights from any {@link CheckpointSource}: `model.safetensors`, else the
 * shards of `model.safetensors.index.json` (the order `from_pretrained` tries them). Only headers
 * are read here; tensors are read one by one from the returned reader.
 *
 * @example
 * ```ts
 * const weights = await openCheckpointWeights(urlSource(base));
 * const embeddings = await weights.read('bert.embeddings.word_embeddings.weight');
 * ```
 */
export async function openCheckpointWeights(source: CheckpointSource): Promise<TensorReader> {
  if (await source.has(SAFETENSORS_FILE)) {
    const bytes = await source.open(SAFETENSORS_FILE);
    try {
      return await SafetensorsReader.open(bytes);
    } catch (error) {
      await bytes.close();
      throw error;
    }
  }
  if (await source.has(SAFETENSORS_INDEX_FILE)) {
    return ShardedSafetensorsReader.open(await source.readText(SAFETENSORS_INDEX_FILE), (shard) => source.open(shard), `${source.location}/${SAFETENSORS_INDEX_FILE}`);
  }
  const legacy = (await source.has('pytorch_model.bin')) ? ' (it has pytorch_model.bin: convert it with safetensors\' convert.py or save_pretrained(safe_serialization=True))' : '';
  throw new CheckpointSourceError(source.location, `holds neither ${SAFETENSORS_FILE} nor ${SAFETENSORS_INDEX_FILE}${legacy}`);
}

