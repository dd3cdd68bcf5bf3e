import type { TensorInfo } from '@tensorflow/tfjs';
import { MAIN_HEADER, WORKGROUP_LINEAR_WGSL, type WebGpuBackendLike, type WebGpuProgram } from './webgpu-program';

const WORKGROUP = 64;

/**
 * Copies `size` consecutive float32 values starting at `offset` of a flat input: splits the
 * packed outputs of heed's multi-output attention programs (tfjs programs have one output).
 */
export class CopyRangeProgram implements WebGpuProgram {
  outputShape: number[];
  shaderKey = 'heedCopyRange';
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames = ['X'];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  uniforms = 'offset : i32, count : i32,';

  constructor(shape: number[]) {
    this.outputShape = shape;
    const size = shape.reduce((product, dim) => product * dim, 1);
    this.dispatch = [Math.max(1, Math.ceil(size / WORKGROUP)), 1, 1];
  }

  getUserCode(): string {
    return `
      ${WORKGROUP_LINEAR_WGSL}
      ${MAIN_HEADER} {
        let index = heedWorkgroupLinear() * ${WORKGROUP} + i32(localIndex);
        if (index < uniforms.count) {
          result[index] = X[uniforms.offset + index];
        }
      }
    `;
  }
}

/** @returns a new tensor of `shape` holding `source`'s flat values from `offset` on. */
export function copyRange(backend: WebGpuBackendLike, source: TensorInfo, offset: number, shape: number[]): TensorInfo {
  const size = shape.reduce((product, dim) => product * dim, 1);
  return backend.runWebGPUProgram(new CopyRangeProgram(shape), [source], 'float32', [
    { type: 'int32', data: [offset] },
    { type: 'int32', data: [size] },
  ]);
}
