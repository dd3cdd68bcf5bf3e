/**
 * onnxruntime's greedy GPT-2 loop, shared by the Node bench (gpt2-generate-peers.ts, onnxruntime-node
 * and -web) and the Chromium page (chromium/gpt2-page.ts); browser-safe, never a test. It drives the
 * torch.onnx export of gpt2_generate_peer.py: inputs input_ids, position_ids, past_<layer>_key/value;
 * outputs logits, present_<layer>_key/value. The prompt goes in first, then one token a step, the
 * presents fed back as the pasts.
 */

/** The part of an onnxruntime tensor used here. */
export interface OrtTensor { data: unknown; dims: readonly number[] }

/** The part of onnxruntime-node / onnxruntime-web's module used by the GPT-2 benches. */
export interface OrtModule {
  env: { wasm?: { numThreads?: number } };
  Tensor: new (type: 'int64' | 'float32', data: BigInt64Array | Float32Array, dims: number[]) => OrtTensor;
  InferenceSession: { create(model: Uint8Array, options: object): Promise<OrtSession> };
}

/** The part of an onnxruntime InferenceSession used here. */
export interface OrtSession {
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** The config.json fields the loop needs. */
export interface OrtGpt2Shape { n_layer: number; n_head: number; n_embd: number; vocab_size: number }

/** Index of the largest of `values[offset .. offset + size)`, the first on ties. */
export const argmax = (values: ArrayLike<number>, offset: number, size: number): number => {
  let best = 0;
  for (let k = 1; k < size; k++) if (values[offset + k]! > values[offset + best]!) best = k;
  return best;
};

/** Greedy ids (prompt ids, then `newTokens` new ones) from an exported GPT-2 session with past key/values. */
export async function ortGreedyGenerate(
  ort: Pick<OrtModule, 'Tensor'>,
  session: OrtSession,
  config: OrtGpt2Shape,
  prompt: readonly number[],
  newTokens: number,
): Promise<number[]> {
  const headDim = config.n_embd / config.n_head;
  const ids = [...prompt];
  let past: OrtTensor[] = Array.from({ length: 2 * config.n_layer }, () => new ort.Tensor('float32', new Float32Array(0), [1, config.n_head, 0, headDim]));
  let fed: readonly number[] = prompt;
  let start = 0;
  for (let step = 0; step < newTokens; step++) {
    const feeds: Record<string, OrtTensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(fed, BigInt), [1, fed.length]),
      position_ids: new ort.Tensor('int64', BigInt64Array.from(fed, (_, i) => BigInt(start + i)), [1, fed.length]),
    };
    for (let i = 0; i < config.n_layer; i++) {
      feeds[`past_${i}_key`] = past[2 * i]!;
      feeds[`past_${i}_value`] = past[2 * i + 1]!;
    }
    const out = await session.run(feeds);
    const token = argmax(out.logits!.data as Float32Array, (fed.length - 1) * config.vocab_size, config.vocab_size);
    past = Array.from({ length: config.n_layer }, (_, i) => [out[`present_${i}_key`]!, out[`present_${i}_value`]!]).flat();
    start += fed.length;
    fed = [token];
    ids.push(token);
  }
  return ids;
}
