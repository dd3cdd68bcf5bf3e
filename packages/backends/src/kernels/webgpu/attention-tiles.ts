/** The adapter limits that decide heed's attention tile sizes. */
export interface AttentionLimits {
  maxComputeWorkgroupStorageSize: number;
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupSizeX: number;
  /** Decides whether packed multi-output buffers fit one binding. */
  maxStorageBufferBindingSize: number;
}

/**
 * How one attention program is laid out: `threads` invocations per workgroup, each owning one
 * row (a query row, or a key row in the dK/dV pass), and tiles of `tile` rows of the other
 * side staged in workgroup memory (`shared`), or read straight from global memory when the
 * adapter has too little workgroup storage for even one row.
 */
export interface AttentionTiles {
  threads: number;
  tile: number;
  shared: boolean;
}

/** Invocations per workgroup heed asks for (one query or key row each). */
export const PREFERRED_THREADS = 64;
/** Rows per shared tile heed asks for. */
export const PREFERRED_TILE = 32;
/** Scores buffered per thread when tiles come from global memory. */
export const UNSHARED_TILE = 16;
/** Workgroup bytes every attention program spends besides its tiles (its uniform plan). */
export const PLAN_BYTES = 16;

const floorPowerOfTwo = (value: number) => (value < 1 ? 0 : 2 ** Math.floor(Math.log2(value)));

/** Threads and tile rows asked for before limits cut them down. */
export interface TilePreference {
  threads: number;
  tile: number;
}

const DEFAULT_PREFERENCE: TilePreference = { threads: PREFERRED_THREADS, tile: PREFERRED_TILE };
let preference: TilePreference = DEFAULT_PREFERENCE;

/**
 * Changes the threads and tile rows heed asks for (powers of two; undefined restores 64 and 32):
 * a tuning knob for `bench:webgpu --threads= --tile=` on a real GPU. Limits still cut them down.
 */
export function setAttentionTilePreference(wanted: Partial<TilePreference> | undefined): void {
  const next = { ...DEFAULT_PREFERENCE, ...wanted };
  for (const [name, value] of Object.entries(next)) {
    if (!(Number.isInteger(value) && value >= 1 && floorPowerOfTwo(value) === value)) {
      throw new Error(`setAttentionTilePreference: ${name} must be a power of two >= 1; got ${value}`);
    }
  }
  preference = next;
}

/**
 * Picks tile sizes that fit `limits`: the most threads up to {@link PREFERRED_THREADS} and the
 * largest power-of-two tile up to {@link PREFERRED_TILE} (or {@link setAttentionTilePreference}'s) whose `bytesPerTileRow` fit in
 * workgroup storage. Never fails: with no room for one row, tiles are read from global memory.
 *
 * @param bytesPerTileRow workgroup bytes one staged row takes (e.g. 8·D for a key and a value row)
 * @example
 * ```ts
 * chooseAttentionTiles(device.limits, 8 * depth); // { threads: 64, tile: 16, shared: true } at D=64, 16 KiB
 * ```
 */
export function chooseAttentionTiles(limits: AttentionLimits, bytesPerTileRow: number): AttentionTiles {
  const invocations = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  const threads = Math.max(1, Math.min(preference.threads, floorPowerOfTwo(invocations)));
  const room = limits.maxComputeWorkgroupStorageSize - PLAN_BYTES;
  const fit = bytesPerTileRow > 0 ? floorPowerOfTwo(room / bytesPerTileRow) : preference.tile;
  if (fit < 1) return { threads, tile: Math.min(UNSHARED_TILE, preference.tile), shared: false };
  return { threads, tile: Math.min(preference.tile, fit), shared: true };
}

/** Why `tiles` fall short of what heed wants (undefined when they do not). */
export function tileShortfall(tiles: AttentionTiles, limits: AttentionLimits): string | undefined {
  const reasons: string[] = [];
  if (tiles.threads < preference.threads) {
    reasons.push(`${tiles.threads} invocations per workgroup (maxComputeInvocationsPerWorkgroup ${limits.maxComputeInvocationsPerWorkgroup})`);
  }
  if (!tiles.shared) {
    reasons.push(`no workgroup tile fits in maxComputeWorkgroupStorageSize ${limits.maxComputeWorkgroupStorageSize}: reading keys and values from global memory`);
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

const warned = new Set<string>();

/** `console.warn(message)` the first time this exact message comes, never again. */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

/** Warns once per distinct reason that the adapter's limits forced smaller attention tiles. */
export function warnTileShortfall(program: string, tiles: AttentionTiles, limits: AttentionLimits): void {
  const shortfall = tileShortfall(tiles, limits);
  if (shortfall === undefined) return;
  warnOnce(`[heed] webgpu fused attention (${program}): adapter limits too small for the preferred tiles; using ${shortfall}. Results are exact, only slower.`);
}

let limitsOverride: AttentionLimits | undefined;

/**
 * Replaces the device limits the attention kernels plan with (undefined restores the real
 * ones): lets tests simulate small adapters. Not exported from the package.
 */
export function overrideAttentionLimits(limits: AttentionLimits | undefined): void {
  limitsOverride = limits;
}

/** The limits to plan with on `device`, or the test override. */
export function attentionLimits(device: GPUDevice): AttentionLimits {
  return limitsOverride ?? device.limits;
}
