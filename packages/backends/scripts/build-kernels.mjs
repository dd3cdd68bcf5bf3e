// Builds heed's four WebAssembly kernel modules from assembly/ (asc, see assembly/asconfig.json):
// plain SIMD and relaxed SIMD (fused multiply-add), each on its own memory and on an imported
// shared memory for worker threads. The loader picks relaxed where WebAssembly.validate accepts it.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
const root = new URL('../', import.meta.url).pathname;
for (const target of ['release', 'threaded', 'relaxed', 'relaxed-threaded']) {
  const args = [asc, 'assembly/index.ts', '--config', 'assembly/asconfig.json'];
  if (target !== 'release') args.push('--target', target);
  execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
}
