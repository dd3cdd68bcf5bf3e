import {
  BatchMatMul,
  _FusedMatMul,
  getKernel,
  registerKernel,
  unregisterKernel,
  Transpose,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs';

/**
 * Matmul kernels whose transposed forms are slow on a backend. On tfjs 4.22 wasm,
 * `matMul(a, b, false, true)` runs ~14x slower than `matMul(a, transpose(b))` (measured, see
 * BENCHMARKS.md), and every matmul gradient uses the transposed forms.
 */
export const TRANSPOSE_FIRST_KERNELS = [BatchMatMul, _FusedMatMul] as const;

interface KernelBackendLike {
  disposeData(dataId: object, force?: boolean): boolean;
}

const originals = new Map<string, KernelConfig>();

function key(kernelName: string, backendName: string): string {
  return `${backendName}/${kernelName}`;
}

/** Swaps the last two axes of `x` with the backend's own Transpose kernel. */
function transposeLastTwo(x: TensorInfo, backendName: string, backend: unknown): TensorInfo {
  const transpose = getKernel(Transpose, backendName);
  if (!transpose) throw new Error(`transposeFirstMatMul: backend "${backendName}" has no Transpose kernel`);
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return transpose.kernelFunc({ inputs: { x }, backend: backend as never, attrs: { perm } }) as TensorInfo;
}

/**
 * The replacement kernel: materialize `aᵀ` / `bᵀ` with Transpose, then run the original kernel
 * without transpose flags. Mathematically identical; the intermediate buffers are freed here.
 */
function transposeFirst(original: KernelFunc, backendName: string): KernelFunc {
  return (args) => {
    const attrs = args.attrs as NamedAttrMap & { transposeA?: boolean; transposeB?: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    const backend = args.backend as unknown as KernelBackendLike;
    const inputs = { ...args.inputs } as Record<string, TensorInfo>;
    const temporaries: TensorInfo[] = [];
    if (attrs.transposeA) {
      inputs.a = transposeLastTwo(inputs.a as TensorInfo, backendName, backend);
      temporaries.push(inputs.a);
    }
    if (attrs.transposeB) {
      inputs.b = transposeLastTwo(inputs.b as TensorInfo, backendName, backend);
      temporaries.push(inputs.b);
    }
    try {
      return original({ ...args, inputs, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const temporary of temporaries) backend.disposeData(temporary.dataId);
    }
  };
}

/**
 * Replaces the matmul kernels of `backendName` by transpose-first versions. Idempotent; returns
 * the kernel names it replaced. Undo with {@link unregisterTransposeFirstMatMul}.
 *
 * @example
 * ```ts
 * registerTransposeFirstMatMul('wasm');
 * tf.matMul(a, b, false, true); // now runs as matMul(a, transpose(b))
 * ```
 */
export function registerTransposeFirstMatMul(backendName: string): string[] {
  const replaced: string[] = [];
  for (const kernelName of TRANSPOSE_FIRST_KERNELS) {
    if (originals.has(key(kernelName, backendName))) continue;
    const original = getKernel(kernelName, backendName);
    if (!original) continue;
    originals.set(key(kernelName, backendName), original);
    unregisterKernel(kernelName, backendName);
    registerKernel({ ...original, kernelFunc: transposeFirst(original.kernelFunc, backendName) });
    replaced.push(kernelName);
  }
  return replaced;
}

/** Restores the original matmul kernels of `backendName`. */
export function unregisterTransposeFirstMatMul(backendName: string): void {
  for (const kernelName of TRANSPOSE_FIRST_KERNELS) {
    const original = originals.get(key(kernelName, backendName));
    if (!original) continue;
    unregisterKernel(kernelName, backendName);
    registerKernel(original);
    originals.delete(key(kernelName, backendName));
  }
}

/** @returns the kernel names currently overridden on `backendName`. */
export function overriddenKernels(backendName: string): string[] {
  return TRANSPOSE_FIRST_KERNELS.filter((kernelName) => originals.has(key(kernelName, backendName)));
}
