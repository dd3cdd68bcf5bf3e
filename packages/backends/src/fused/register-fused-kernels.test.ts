import * as tf from '@tensorflow/tfjs';
import { getGradient, getKernel, type GradConfig, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { registerFusedKernels, unregisterFusedKernels } from './register-fused-kernels';

// A toy fused op on cpu, y = x³, and its gradient kernel dx = 3x²·dy, to test the registration
// helper on its own (the fused ops' own tests cover their kernels).
const Cube = 'HeedTestCube';
const CubeGrad = 'HeedTestCubeGrad';

interface CpuLike {
  data: { get(dataId: object): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}
const elementwise = (f: (values: ArrayLike<number>[], index: number) => number, names: string[]): KernelFunc => ({ inputs, backend }) => {
  const cpu = backend as unknown as CpuLike;
  const infos = names.map((name) => inputs[name] as TensorInfo);
  const values = infos.map((info) => cpu.data.get(info.dataId).values);
  const out = new Float32Array(values[0]!.length);
  for (let index = 0; index < out.length; index++) out[index] = f(values, index);
  return cpu.makeTensorInfo(infos[0]!.shape, 'float32', out);
};
const CONFIGS: KernelConfig[] = [
  { kernelName: Cube, backendName: 'cpu', kernelFunc: elementwise(([x], i) => x![i]! ** 3, ['x']) },
  { kernelName: CubeGrad, backendName: 'cpu', kernelFunc: elementwise(([x, dy], i) => 3 * x![i]! ** 2 * dy![i]!, ['x', 'dy']) },
];
const GRAD: GradConfig = {
  kernelName: Cube,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => tf.engine().runKernel(CubeGrad, { x: saved[0] as tf.Tensor, dy: dy as tf.Tensor }) as tf.Tensor }),
};
const cube = (x: tf.Tensor) => tf.engine().runKernel(Cube, { x }) as tf.Tensor;

describe('registerFusedKernels', () => {
  afterAll(() => unregisterFusedKernels(CONFIGS));

  it('registers the kernels and the gradient once, however often it runs, and the op differentiates', async () => {
    await tf.setBackend('cpu');
    for (let round = 0; round < 3; round++) registerFusedKernels(CONFIGS, [GRAD], { loadSimd: false });
    // a later gradient config of the same kernel does not override the one registered first
    registerFusedKernels(CONFIGS, [{ ...GRAD, gradFunc: () => ({}) }], { loadSimd: false });
    expect(getKernel(Cube, 'cpu')).toBe(CONFIGS[0]);
    expect(getKernel(CubeGrad, 'cpu')).toBe(CONFIGS[1]);
    expect(getGradient(Cube)).toBe(GRAD);
    const x = tf.tensor1d([-2, -0.5, 0, 1.5, 3]);
    const dx = tf.grad((input: tf.Tensor) => cube(input).sum())(x);
    expect(Array.from(await cube(x).data())).toEqual([-8, -0.125, 0, 3.375, 27]);
    expect(Array.from(await dx.data())).toEqual([12, 0.75, 0, 6.75, 27]); // 3x²
    tf.dispose([x, dx]);
  });

  it('unregisters only the kernels (the gradient stays), and registers them again', () => {
    registerFusedKernels(CONFIGS, [GRAD], { loadSimd: false });
    unregisterFusedKernels(CONFIGS);
    unregisterFusedKernels(CONFIGS); // idempotent: nothing left to remove
    expect(getKernel(Cube, 'cpu')).toBeUndefined();
    expect(getKernel(CubeGrad, 'cpu')).toBeUndefined();
    expect(getGradient(Cube)).toBe(GRAD);
    registerFusedKernels(CONFIGS, [GRAD], { loadSimd: false });
    expect(getKernel(Cube, 'cpu')).toBe(CONFIGS[0]);
  });

  it('keeps a kernel another module registered for the same (kernel, backend) pair', () => {
    unregisterFusedKernels(CONFIGS);
    const other: KernelConfig = { ...CONFIGS[0]!, kernelFunc: CONFIGS[0]!.kernelFunc };
    tf.registerKernel(other);
    registerFusedKernels(CONFIGS, [GRAD], { loadSimd: false });
    expect(getKernel(Cube, 'cpu')).toBe(other);
    expect(getKernel(CubeGrad, 'cpu')).toBe(CONFIGS[1]);
  });
});
