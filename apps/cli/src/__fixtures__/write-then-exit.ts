/**
 * Child process of exit-when-drained.test.ts: prints `bytes` of JSON with console.log, then ends
 * with exitWhenDrained (argv[3] = 'drained') or with a plain process.exit (argv[3] = 'exit').
 */
import { exitWhenDrained } from '../exit-when-drained';

const bytes = Number(process.argv[2]);
const how = process.argv[3];
console.log(JSON.stringify({ filler: 'x'.repeat(bytes) }));
if (how === 'drained') await exitWhenDrained(0);
else process.exit(0);
