/**
 * Entry of a data-parallel replica of `heed train g2p --workers N` (forked by G2PReplicas; not a
 * command to run by hand).
 */
import './enable-relaxed-simd'; // first: before any module compiles WebAssembly
import { runG2PReplica } from './commands/g2p-data-parallel';

await runG2PReplica();
