// The one-thread ceiling of the relaxed GEMM on this CPU, measured in WebAssembly itself: CHAINS
// independent recurrences acc = acc·x + y on f32x4 lanes, one f32x4.relaxed_madd each (vfmadd
// where the CPU has FMA3), enough chains to hide the FMA latency, no memory traffic: the FMA pipes'
// throughput at 128 bits. No relaxed kernel can beat it, so peak / (plain GEMM) bounds the
// relaxed/plain ratio on this CPU. (The plain build has no such ceiling here: chains of f32x4.mul
// then f32x4.add measured slower than the plain GEMM tile itself, so they bound nothing.)
// The module is written out here as bytes (no build step): one exported function peak(iterations).

const CHAINS = 12;

const leb = (value: number): number[] => {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
};
const simd = (opcode: number) => [0xfd, ...leb(opcode)];
const F32X4_ADD = 0xe4;
const F32X4_RELAXED_MADD = 0x105;
const V128_CONST = 0x0c;
const V128_STORE = 0x0b;

const splat = (value: number) => {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  for (let lane = 0; lane < 4; lane++) view.setFloat32(lane * 4, value, true);
  return [...bytes];
};

const name = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The module's bytes: peak(iterations) runs iterations × CHAINS steps, then stores the sum at 0. */
function peakModule(): Uint8Array<ArrayBuffer> {
  // locals: 0 = iterations (param i32), 1..CHAINS = accumulators, CHAINS+1 = x, CHAINS+2 = y
  const [x, y] = [CHAINS + 1, CHAINS + 2];
  const code: number[] = [];
  for (let chain = 1; chain <= CHAINS; chain++) code.push(...simd(V128_CONST), ...splat(chain / CHAINS), 0x21, chain);
  code.push(...simd(V128_CONST), ...splat(0.999), 0x21, x, ...simd(V128_CONST), ...splat(1e-3), 0x21, y);
  code.push(0x02, 0x40, 0x03, 0x40); // block, loop
  for (let chain = 1; chain <= CHAINS; chain++) {
    code.push(0x20, chain, 0x20, x, 0x20, y, ...simd(F32X4_RELAXED_MADD), 0x21, chain);
  }
  // iterations -= 1; loop while non-zero
  code.push(0x20, 0, 0x41, 1, 0x6b, 0x22, 0, 0x0d, 0, 0x0b, 0x0b);
  code.push(0x41, 0, 0x20, 1); // address 0, acc1
  for (let chain = 2; chain <= CHAINS; chain++) code.push(0x20, chain, ...simd(F32X4_ADD));
  code.push(...simd(V128_STORE), 4, 0, 0x0b); // store (align 2^4, offset 0); end
  const body = [1, CHAINS + 2, 0x7b, ...code]; // one local group: CHAINS + 2 v128
  const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 0]), // type: (i32) -> ()
    ...section(3, [1, 0]), // function 0 of type 0
    ...section(5, [1, 0, 1]), // memory: min 1 page
    ...section(7, [2, 4, ...name('peak'), 0, 0, 6, ...name('memory'), 2, 0]), // exports: function 0, memory 0
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

/**
 * One thread's f32x4.relaxed_madd throughput in GFLOP/s (2 FLOP per lane per step), median of
 * `rounds` runs in CPU time. Needs relaxed SIMD (Node 20: --experimental-wasm-relaxed-simd).
 */
export function fmaPeakGflops(rounds = 7, iterations = 2e7): number {
  const { peak, memory } = new WebAssembly.Instance(new WebAssembly.Module(peakModule()), {}).exports as { peak: (n: number) => void; memory: WebAssembly.Memory };
  peak(iterations / 10);
  // every chain converges to y / (1 − x) = 1, so the stored sum is CHAINS in each lane: the
  // module ran the recurrence (a wrong opcode or a dead loop would not give this)
  const sums = new Float32Array(memory.buffer, 0, 4);
  if (sums.some((sum) => Math.abs(sum - CHAINS) > 1e-2)) throw new Error(`fmaPeakGflops: the recurrences summed to [${sums.join(', ')}], expected ${CHAINS} in each lane`);
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.cpuUsage();
    peak(iterations);
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1000);
  }
  const ms = [...times].sort((a, b) => a - b)[rounds >> 1] as number;
  return (iterations * CHAINS * 8) / ms / 1e6;
}
