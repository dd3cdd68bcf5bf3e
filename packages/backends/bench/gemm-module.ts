import { readFileSync } from 'node:fs';
import type { SimdExports } from '../src/kernels/wasm-simd/simd-heap';

/** One single-threaded GEMM timer over a kernel module file. */
export interface GemmModule {
  /** C = A·B once (C zeroed first); returns the kernel's wall and CPU (process) time in ms. */
  run(): { wall: number; cpu: number };
  /** C of the last run. */
  result(): Float32Array;
}

/**
 * Instantiates one single-threaded kernel module (a path to a .wasm file) with A, B (size × size,
 * sin-filled, the same in every module) and C laid out in its memory, for paired one-thread timings.
 */
export function gemmModule(path: string | URL, size: number): GemmModule {
  const kernels = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(path)), {}).exports as unknown as SimdExports;
  const floats = size * size;
  const [a, b, c] = [65536, 65536 + 4 * floats, 65536 + 8 * floats];
  const scratch = c + 4 * floats;
  kernels.memory.grow(Math.ceil((scratch + 4 * kernels.matMulScratchFloats(size, size)) / 65536));
  const memory = new Float32Array(kernels.memory.buffer);
  for (let index = 0; index < 2 * floats; index++) memory[a / 4 + index] = Math.sin(index) * 0.5;
  return {
    run() {
      memory.fill(0, c / 4, c / 4 + floats);
      const cpu = process.cpuUsage();
      const start = performance.now();
      kernels.matMul(a, size, 1, b, size, 1, c, size, size, size, scratch);
      const wall = performance.now() - start;
      const used = process.cpuUsage(cpu);
      return { wall, cpu: (used.user + used.system) / 1000 };
    },
    result: () => memory.subarray(c / 4, c / 4 + floats),
  };
}
