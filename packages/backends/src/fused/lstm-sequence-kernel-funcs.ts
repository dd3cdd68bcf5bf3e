import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendIo } from './backend-io';
import type { LstmCores, LstmProblem } from './lstm-sequence-cores';
import type { LstmSequenceAttrs } from './lstm-sequence-kernel';

function input(inputs: Record<string, TensorInfo | undefined>, name: string): TensorInfo {
  const info = inputs[name];
  if (!info) throw new Error(`lstmSequence kernel: missing input "${name}"`);
  return info;
}

/** `(outer, inner, width)` → `(inner, outer, width)`: batch-major ⇄ time-major. */
function swapLeadingAxes(values: Float32Array, outer: number, inner: number, width: number): Float32Array {
  const swapped = new Float32Array(values.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) swapped.set(values.subarray((o * inner + i) * width, (o * inner + i + 1) * width), (i * outer + o) * width);
  }
  return swapped;
}

/** The forward kernel function of one backend: `cores(units)` runs the recurrence on time-major arrays. */
export function lstmForwardKernelFunc(io: BackendIo, cores: (units: number) => LstmCores): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const named = inputs as Record<string, TensorInfo>;
    const projected = input(named, 'projected');
    const [batch = 1, time = 1, gates = 4] = projected.shape;
    const units = gates / 4;
    // Copies, not views: the wasm backend's heap may move when the outputs are allocated.
    const problem: LstmProblem = {
      time,
      batch,
      units,
      reverse: (attrs as LstmSequenceAttrs).reverse,
      zx: swapLeadingAxes(io.read(backend, projected), batch, time, gates), // (time, batch, 4·units)
      w: io.read(backend, input(named, 'recurrentKernel')).slice(),
      mask: swapLeadingAxes(io.read(backend, input(named, 'mask')), batch, time, 1), // (time, batch)
      h0: io.read(backend, input(named, 'initialH')).slice(),
      c0: io.read(backend, input(named, 'initialC')).slice(),
    };
    const { hs, cs, acts, ys } = cores(units).forward(problem);
    const step = batch * units;
    const last = (problem.reverse ? 0 : time - 1) * step; // the step processed last holds the final state
    return [
      io.write(backend, [batch, time, units], swapLeadingAxes(ys, time, batch, units)), // outputs (batch, time, units)
      io.write(backend, [batch, units], hs.slice(last, last + step)), // h
      io.write(backend, [batch, units], cs.slice(last, last + step)), // c
      io.write(backend, [time, batch, units], hs), // states
      io.write(backend, [time, batch, units], cs), // cells
      io.write(backend, [time, batch, gates], acts), // gates
    ];
  };
}

/** The backward kernel function of one backend over the same cores. */
export function lstmBackwardKernelFunc(io: BackendIo, cores: (units: number) => LstmCores): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const named = inputs as Record<string, TensorInfo>;
    const gatesInfo = input(named, 'gates');
    const [time = 1, batch = 1, gates = 4] = gatesInfo.shape;
    const units = gates / 4;
    const problem: LstmProblem = {
      time,
      batch,
      units,
      reverse: (attrs as LstmSequenceAttrs).reverse,
      zx: new Float32Array(0), // the backward pass never reads the projections
      w: io.read(backend, input(named, 'recurrentKernel')).slice(),
      mask: swapLeadingAxes(io.read(backend, input(named, 'mask')), batch, time, 1), // (time, batch)
      h0: new Float32Array(0),
      c0: io.read(backend, input(named, 'initialC')).slice(),
    };
    const saved = { hs: new Float32Array(0), cs: io.read(backend, input(named, 'cells')).slice(), acts: io.read(backend, gatesInfo).slice(), ys: new Float32Array(0) };
    const dys = swapLeadingAxes(io.read(backend, input(named, 'dOutputs')), batch, time, units); // (time, batch, units)
    const dhT = io.read(backend, input(named, 'dH')).slice();
    const dcT = io.read(backend, input(named, 'dC')).slice();
    const { dzx, dh0, dc0 } = cores(units).backward(problem, saved, dys, dhT, dcT);
    return [
      io.write(backend, [time, batch, gates], dzx), // dGates (time, batch, 4·units)
      io.write(backend, [batch, units], dh0),
      io.write(backend, [batch, units], dc0),
    ];
  };
}
