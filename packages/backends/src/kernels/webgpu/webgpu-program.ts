import type { DataType, TensorInfo } from '@tensorflow/tfjs';

/**
 * The shape of tfjs-backend-webgpu's `WebGPUProgram` that heed's programs implement, declared
 * here so that nothing reachable from the package entry imports `@tensorflow/tfjs-backend-webgpu`
 * at runtime (it must load only after `navigator.gpu` exists).
 */
export interface WebGpuProgram {
  outputShape: number[];
  /** Names the compiled pipeline in the backend's cache: must encode every compile-time constant. */
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  /** Extra uniform fields, WGSL struct syntax (`scale : f32, causal : i32,`). */
  uniforms?: string;
  getUserCode(): string;
}

/** One program-defined uniform value, in the order of {@link WebGpuProgram.uniforms}. */
export interface ProgramUniform {
  type: 'float32' | 'int32';
  data: number[];
}

/** What heed's WebGPU kernels use of tfjs' `WebGPUBackend`. */
export interface WebGpuBackendLike {
  device: GPUDevice;
  runWebGPUProgram(program: WebGpuProgram, inputs: TensorInfo[], outputDtype: DataType, uniforms?: ProgramUniform[]): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * WGSL: the linear index of this workgroup, whatever 2-D/3-D shape tfjs gave the dispatch when
 * it exceeded `maxComputeWorkgroupsPerDimension`.
 */
export const WORKGROUP_LINEAR_WGSL = `
  fn heedWorkgroupLinear() -> i32 {
    return i32(workgroupId.z * numWorkgroups.x * numWorkgroups.y + workgroupId.y * numWorkgroups.x + workgroupId.x);
  }
`;

/** The main function header of heed's programs (flat dispatch layout: tfjs passes an index). */
export const MAIN_HEADER = 'fn main(heedUnusedIndex : i32)';
