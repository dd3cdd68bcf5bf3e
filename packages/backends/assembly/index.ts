// heed's WebAssembly SIMD kernels. Built by `pnpm build` (asc, see asconfig.json) into
// dist/wasm/heed-kernels.wasm; the host lays out float32 arrays in this module's memory and
// passes byte offsets.
export { attentionForward, forwardScratchFloats } from './attention-forward';
export { attentionBackward, backwardScratchFloats } from './attention-backward';
export { biasActivation, matMul, matMulScratchFloats } from './gemm';
export { matMulShared, matMulSharedScratchFloats, packedBFloats } from './gemm-shared';
export { lstmForward, lstmBackward, lstmScratchFloats } from './lstm';
export { hasNaN } from './has-nan';
export { sumLeadingRows } from './leading-sum';
export { geluForward, geluBackward } from './gelu';
export { layerNormForward, layerNormBackward } from './layer-norm';
