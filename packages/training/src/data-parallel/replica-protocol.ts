import { setFusedLstmEnabled, setSimdThreads } from '@heed/backends';
import type { InputsData, TensorData } from './shard-tensors';

/** @internal A message from replica 0 to a forked replica. */
export type ToReplica =
  | { type: 'init'; options: unknown; backend: string; replica: number; replicas: number }
  | { type: 'step'; weights?: Record<string, Float32Array>; inputs?: InputsData; labels?: TensorData; seed?: number }
  | { type: 'stop' };

/** @internal A message from a forked replica to replica 0. */
export type FromReplica = { type: 'ready' } | { type: 'grads'; grads: (Float32Array | null)[]; loss: number } | { type: 'error'; message: string };

/**
 * @internal Sets this process up as one replica on one core: the SIMD kernels single-threaded,
 * and the composite LSTM instead of the fused loops. Measured on 2 cores (default G2P model,
 * batch 256 split 2 ways): the fused loops took 0.54 and 0.50 s/step against 0.42 and 0.47 s/step
 * for the composite (two measurements); alone they are faster (3.26 against 2.65 steps/s at
 * batch 128) partly by keeping a second core busy, which a replica does not have. Returns a
 * function that restores the LSTM setting.
 */
export function runAsReplica(): () => void {
  setSimdThreads(1);
  const fused = setFusedLstmEnabled(false);
  return () => setFusedLstmEnabled(fused);
}
