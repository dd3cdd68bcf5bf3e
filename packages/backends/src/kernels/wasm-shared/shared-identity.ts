import { getKernel, Identity, registerKernel, unregisterKernel, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

const originals = new Map<string, KernelConfig>();

/**
 * Identity for tfjs' wasm backend that shares the input's buffer (one more reference to it), as
 * tfjs' cpu backend and the wasm backend's own Reshape do, instead of copying it: tfjs 4.22 wasm
 * copies on every Identity, and a training step runs ~90 of them (gradient plumbing, `clone`,
 * same-dtype `cast`), ~30 ms of a [B32, S64, D256] encoder-layer step (`pnpm bench:profile`).
 * Safe because no tfjs kernel writes into its inputs; a buffer is freed when its last reference is
 * disposed. Strings go to the stock kernel (the reference, restored by {@link unregisterSharedIdentity}).
 */
function identityKernel(previous: KernelConfig): KernelConfig {
  return {
    ...previous,
    kernelFunc: (args) => {
      const x = args.inputs.x as TensorInfo;
      if (x.dtype === 'string') return previous.kernelFunc(args);
      (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  };
}

/**
 * Replaces the wasm backend's Identity by one that shares its input's buffer. Idempotent.
 *
 * @example
 * ```ts
 * registerSharedIdentity('wasm'); // ['Identity']
 * const copy = tf.clone(x);       // no copy: x and copy share one buffer until both are disposed
 * ```
 */
export function registerSharedIdentity(backendName: string): string[] {
  if (backendName !== 'wasm' || originals.has(backendName)) return [];
  const previous = getKernel(Identity, backendName);
  if (!previous) return [];
  originals.set(backendName, previous);
  unregisterKernel(Identity, backendName);
  registerKernel(identityKernel(previous));
  return [Identity];
}

/**
 * Restores the Identity kernel registered before {@link registerSharedIdentity}.
 *
 * @example
 * ```ts
 * unregisterSharedIdentity('wasm'); // tf.clone copies again
 * ```
 */
export function unregisterSharedIdentity(backendName: string): void {
  const previous = originals.get(backendName);
  if (!previous) return;
  unregisterKernel(Identity, backendName);
  registerKernel(previous);
  originals.delete(backendName);
}

/**
 * @returns `['Identity']` while {@link registerSharedIdentity} is active on `backendName`.
 *
 * @example
 * ```ts
 * sharedIdentityKernels('wasm'); // ['Identity'] after initBackend({ backend: 'wasm' })
 * ```
 */
export function sharedIdentityKernels(backendName: string): string[] {
  return originals.has(backendName) ? [Identity] : [];
}
