import { describe, expect, it } from 'vitest';
import { peerReport, type PeerRow } from '../bench/peers/report';

const peers = ['heed (wasm SIMD, 1 thread)', 'heed (wasm SIMD, 2 worker threads)', 'onnxruntime-web (wasm, 1 thread)', 'onnxruntime-node (2 threads)', 'PyTorch (2 threads)'];
const row = (workload: string, pass: PeerRow['pass'], times: number[]): PeerRow => ({
  workload,
  pass,
  gflop: 1,
  times: Object.fromEntries(peers.map((peer, index) => [peer, times[index] ?? 'inference only'])),
});
const notes = {
  peers,
  heedColumns: 2,
  ceilings: { 'heed SIMD GEMM 1024³ (1 thread)': 25, 'PyTorch matmul 1024³ (2 threads, AVX2 FMA)': 150 },
  parity: [],
  memory: [],
  skipped: [],
  environment: 'test',
};

describe('peerReport goals', () => {
  it('checks each goal of issue #6 against the best heed column of the run', () => {
    const text = peerReport(
      [
        row('MultiheadAttention [B8,S128,E512,H8]', 'fwd', [120, 90, 100, 10, 30]),
        row('TransformerEncoderLayer [B32,S64,D256,H4,FF1024]', 'fwd', [190, 130, 120, 20, 18]),
        row('TransformerEncoderLayer [B32,S64,D256,H4,FF1024]', 'fwd+bwd', [470, 300, Number.NaN, Number.NaN, 100]),
      ].map((entry) => ({ ...entry, times: Object.fromEntries(Object.entries(entry.times).filter(([, value]) => !Number.isNaN(value))) })),
      notes,
    );
    expect(text).toContain('- TransformerEncoderLayer fwd+bwd vs PyTorch: 3.00x (goal ≤ 2x) — not met');
    expect(text).toContain('- MultiheadAttention fwd vs onnxruntime-web: 0.90x (goal ≤ 1x) — met');
    expect(text).toContain('- TransformerEncoderLayer fwd vs onnxruntime-web: 1.08x (goal ≤ 1x) — not met');
    expect(text).toContain('- MultiheadAttention fwd vs onnxruntime-node: 9.00x (goal ≤ 2x) — not met');
    expect(text).toContain("PyTorch's GEMM is 6.0x heed's one-thread SIMD GEMM");
    expect(text).toContain("heed's compute ceiling is 3.0x below PyTorch's");
  });

  it('says when a goal was not measured', () => {
    const text = peerReport([row('MultiheadAttention [B8,S128,E512,H8]', 'fwd', [120, 90, 100, 10, 30])], notes);
    expect(text).toContain('- TransformerEncoderLayer fwd+bwd vs PyTorch: not measured in this run');
  });
});
