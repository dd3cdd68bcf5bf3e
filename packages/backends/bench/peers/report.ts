/** One measured row of the peer table: medians in ms by peer, or a reason string. */
export interface PeerRow {
  workload: string;
  pass: 'fwd' | 'fwd+bwd';
  gflop: number;
  times: Record<string, number | string>;
}

/** Facts printed under the table. */
export interface ReportNotes {
  peers: string[];
  /** How many leading `peers` are heed configurations (ratios use the fastest of them). */
  heedColumns: number;
  ceilings: Record<string, number>;
  parity: string[];
  memory: string[];
  skipped: string[];
  environment: string;
}

const format = (value: number | string | undefined) =>
  value === undefined ? '–' : typeof value === 'string' ? value : value >= 100 ? value.toFixed(0) : value.toFixed(1);

/** Markdown of the `fused` BENCHMARKS.md section. */
export function peerReport(rows: PeerRow[], notes: ReportNotes): string {
  const heeds = notes.peers.slice(0, notes.heedColumns);
  const others = notes.peers.slice(notes.heedColumns);
  const best = (row: PeerRow) => {
    const times = heeds.map((peer) => row.times[peer]).filter((value): value is number => typeof value === 'number');
    return times.length ? Math.min(...times) : undefined;
  };
  const header = ['work', 'pass', 'GFLOP', ...notes.peers.map((peer) => `${peer} ms`), ...others.map((peer) => `best heed / ${peer.split(' ')[0]}`)];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const mine = best(row);
    const ratios = others.map((peer) => {
      const theirs = row.times[peer];
      return mine !== undefined && typeof theirs === 'number' ? `${(mine / theirs).toFixed(2)}x` : '–';
    });
    lines.push(`| ${row.workload} | ${row.pass} | ${row.gflop.toFixed(2)} | ${notes.peers.map((peer) => format(row.times[peer])).join(' | ')} | ${ratios.join(' | ')} |`);
  }
  const ceiling = Object.entries(notes.ceilings).map(([name, value]) => `- ${name}: ${value.toFixed(1)} GFLOP/s`);
  const roofline = rows
    .filter((row) => best(row) !== undefined)
    .map((row) => `- ${row.workload} ${row.pass}: ${((row.gflop / (best(row) as number)) * 1000).toFixed(1)} GFLOP/s achieved by heed (best column)`);
  return [
    `Written by \`pnpm bench:peers\` (packages/backends/bench/peers), ${notes.environment}. All peers ran in one`,
    'invocation on the same inputs and weights (exported from PyTorch by scripts/peers/export_peers.py);',
    'medians in ms; `best heed / X` (the faster heed column over peer X) below 1 means heed is faster. GFLOP counts the minimal matmul work (fwd+bwd = 3x fwd).',
    '',
    ...lines,
    '',
    '**Roofline.** Every workload here is compute bound (the fused attention reads 4·B·H·S·D floats for',
    '4·B·H·S²·D FLOPs: arithmetic intensity ~S/4 FLOP/byte). Ceilings measured in this run:',
    ...ceiling,
    ...roofline,
    '',
    'WebAssembly SIMD has 128-bit vectors: 4 lanes of fused multiply-add in heed\'s relaxed-SIMD build (Node 20 needs',
    '--experimental-wasm-relaxed-simd, which `pnpm bench:peers` passes), a multiply and an add in the plain build, while',
    'PyTorch and onnxruntime-node use 256/512-bit FMA (AVX2/AVX-512) on both cores.',
    ...ceilingGap(notes.ceilings, heeds.length),
    '',
    ...goalLines(rows, heeds, others, best),
    '',
    '**Parity** (same weights and inputs):',
    ...notes.parity.map((line) => `- ${line}`),
    '',
    '**Memory** (fused attention keeps O(S·D) extra memory, no T×S buffer):',
    ...notes.memory.map((line) => `- ${line}`),
    ...(notes.skipped.length ? ['', '**Skipped:**', ...notes.skipped.map((line) => `- ${line}`)] : []),
  ].join('\n');
}

/** The measured GEMM ceiling gap between PyTorch and heed (one thread, and scaled to heed's threads). */
function ceilingGap(ceilings: Record<string, number>, heedColumns: number): string[] {
  const torch = Object.entries(ceilings).find(([name]) => name.startsWith('PyTorch'))?.[1];
  const heed = Object.entries(ceilings).find(([name]) => name.startsWith('heed SIMD GEMM'))?.[1];
  if (torch === undefined || heed === undefined) return [];
  const threads = heedColumns > 1 ? 2 : 1;
  return [
    `Measured here: PyTorch's GEMM is ${(torch / heed).toFixed(1)}x heed's one-thread SIMD GEMM, so even with ${threads} worker threads`,
    `scaling perfectly heed's compute ceiling is ${(torch / (heed * threads)).toFixed(1)}x below PyTorch's on the same cores.`,
  ];
}

/** Issue #6's goals, each checked against this run's ratios. */
function goalLines(rows: PeerRow[], heeds: string[], others: string[], best: (row: PeerRow) => number | undefined): string[] {
  const peer = (prefix: string) => others.find((name) => name.startsWith(prefix));
  const ratio = (workload: string, pass: PeerRow['pass'], prefix: string): number | undefined => {
    const row = rows.find((candidate) => candidate.workload.startsWith(workload) && candidate.pass === pass);
    const name = peer(prefix);
    const theirs = row && name ? row.times[name] : undefined;
    const mine = row ? best(row) : undefined;
    return mine !== undefined && typeof theirs === 'number' ? mine / theirs : undefined;
  };
  const check = (label: string, value: number | undefined, limit: number) =>
    value === undefined ? `- ${label}: not measured in this run` : `- ${label}: ${value.toFixed(2)}x (goal ≤ ${limit}x) — ${value <= limit ? 'met' : 'not met'}`;
  if (heeds.length === 0) return [];
  return [
    '**Goals** (issue #6; ratios are best heed column / peer in this run):',
    check('TransformerEncoderLayer fwd+bwd vs PyTorch', ratio('TransformerEncoderLayer', 'fwd+bwd', 'PyTorch'), 2),
    check('MultiheadAttention fwd vs onnxruntime-web', ratio('MultiheadAttention', 'fwd', 'onnxruntime-web'), 1),
    check('TransformerEncoderLayer fwd vs onnxruntime-web', ratio('TransformerEncoderLayer', 'fwd', 'onnxruntime-web'), 1),
    check('MultiheadAttention fwd vs onnxruntime-node', ratio('MultiheadAttention', 'fwd', 'onnxruntime-node'), 2),
    check('TransformerEncoderLayer fwd vs onnxruntime-node', ratio('TransformerEncoderLayer', 'fwd', 'onnxruntime-node'), 2),
  ];
}
