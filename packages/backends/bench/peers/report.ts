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
    'Single-threaded wasm SIMD has 128-bit vectors and no FMA (relaxed-simd is not on by default in Node 20),',
    'so one core peaks near 8 FLOP/cycle, while PyTorch uses AVX2 FMA (32 FLOP/cycle) on both cores: an',
    'inherent ~8x ceiling gap on compute-bound work until wasm threads (SharedArrayBuffer workers) and FMA land.',
    '',
    '**Parity** (same weights and inputs):',
    ...notes.parity.map((line) => `- ${line}`),
    '',
    '**Memory** (fused attention keeps O(S·D) extra memory, no T×S buffer):',
    ...notes.memory.map((line) => `- ${line}`),
    ...(notes.skipped.length ? ['', '**Skipped:**', ...notes.skipped.map((line) => `- ${line}`)] : []),
  ].join('\n');
}
