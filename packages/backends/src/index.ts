/**
 * @heed/backends: pick and start the best TensorFlow.js backend, register measured-faster
 * kernels, and keep tensor memory honest.
 * @packageDocumentation
 */
export { BACKEND_NAMES, BROWSER_ORDER, NODE_ORDER, isBackendName, type BackendName } from './backend-name';
export type { AdapterReport, BackendAttempt, BackendReport } from './backend-report';
export { initBackend, probeBackends, availableBackends, candidateBackends, type InitBackendOptions } from './init-backend';
export { installNodeWebGpu, type NodeWebGpuResult } from './environment/node-webgpu';
export { configureWasmPaths } from './environment/wasm-paths';
export { isNode } from './environment/is-node';
export { kernelOverridesReady, registerKernelOverrides, unregisterKernelOverrides } from './kernels/kernel-overrides';
export {
  registerTransposeFirstMatMul,
  unregisterTransposeFirstMatMul,
  overriddenKernels,
  TRANSPOSE_FIRST_KERNELS,
} from './kernels/transpose-first-matmul';
export { expectNoLeaks } from './memory/expect-no-leaks';
export { createLeakGuard, type LeakGuard, type LeakGuardOptions } from './memory/leak-guard';
export { TensorLeakError } from './memory/tensor-leak-error';
export { fusedAttention, type FusedAttentionOptions } from './fused/fused-attention';
export { attentionReference, attentionWeightsReference, type AttentionOptions } from './fused/attention-reference';
export { maskedSoftmax } from './fused/masked-softmax';
export { fusedGelu, geluReference, registerFusedGelu, unregisterFusedGelu, hasFusedGeluKernel, FusedGelu, FusedGeluGrad } from './fused/fused-gelu';
export { fusedLayerNorm, layerNormReference, registerFusedLayerNorm, unregisterFusedLayerNorm, hasFusedLayerNormKernel, FusedLayerNorm, FusedLayerNormGrad } from './fused/fused-layer-norm';
export { lstmSequence, lstmSequenceReference, lstmSequenceCores, setFusedLstmEnabled, type LstmSequenceOptions, type LstmSequenceResult } from './fused/lstm-sequence';
export type { LstmCores } from './fused/lstm-sequence-cores';
export { LstmSequence, LstmSequenceGrad, type LstmSequenceAttrs } from './fused/lstm-sequence-kernel';
export { registerLstmSequence, unregisterLstmSequence, hasLstmSequenceKernel } from './fused/register-lstm-sequence';
export { FusedAttention, FusedAttentionGrad, type FusedAttentionAttrs } from './fused/fused-attention-kernel';
export { registerFusedAttention, unregisterFusedAttention, hasFusedAttentionKernel } from './fused/register-fused-attention';
export { registerWebGpuKernels, unregisterWebGpuKernels, activeWebGpuKernels, WEBGPU_KERNEL_CONFIGS } from './kernels/webgpu/register-webgpu-kernels';
export { chooseAttentionTiles, type AttentionLimits, type AttentionTiles } from './kernels/webgpu/attention-tiles';
export { registerSimdKernels, unregisterSimdKernels, simdKernelOverrides } from './kernels/wasm-simd/register-simd-kernels';
export { loadSimdKernels, simdKernelsFailure, simdKernelsInfo, type LoadSimdKernelsOptions, type SimdKernelsInfo } from './kernels/wasm-simd/load-simd-kernels';
export { relaxedSimdSupported, type SimdBuild } from './kernels/wasm-simd/simd-build';
export { setSimdAttentionEnabled } from './kernels/wasm-simd/attention-simd';
export { setSimdThreads } from './kernels/wasm-simd/attention-simd';
export { describeValue } from './validation/describe-value';
export { checkPositiveInteger } from './validation/check-positive-integer';
export { importNodeOnly } from './io/import-node-only';
export { nodeFileSystem, stripFileScheme, type NodeFileSystem } from './io/node-file-system';
export { MODEL_FILE, WEIGHTS_FILE, nodeFileHandler, readModelJson, type ModelJson, type NodeFileHandlerOptions } from './io/node-file-handler';
export { nonFiniteValues, readWeightsFile, weightBytes } from './io/weights-file-checks';
export { writeFileAtomically, writeFilesAtomically, type FileData, type FileToWrite, type WriteFilesOptions } from './io/write-files-atomically';
