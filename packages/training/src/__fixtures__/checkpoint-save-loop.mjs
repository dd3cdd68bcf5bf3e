// A child process for checkpoint-lock.test.ts: saves `count` checkpoints into `directory`, each
// with `size` float32 weights all equal to `id`, through the built @heed/training (tests run after
// `build`, as turbo's test task depends on it). Prints "done" when every save resolved.
import { fileCheckpoint } from '../../dist/index.js';

const [directory, id, count, size] = process.argv.slice(2);
const values = new Float32Array(Number(size)).fill(Number(id));
for (let save = 0; save < Number(count); save++) {
  await fileCheckpoint(directory).save({
    modelTopology: { writer: Number(id), save },
    weightSpecs: [{ name: 'w', shape: [values.length], dtype: 'float32' }],
    weightData: values.buffer,
  });
}
process.stdout.write('done\n');
