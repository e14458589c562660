// Entry point of the bundled dist/psst.mjs.
import { run } from './program.js';

const code = await run(process.argv.slice(2));
process.exitCode = code;
// Output to pipes and files is written synchronously on POSIX, so nothing is lost if an idle
// keep-alive socket would otherwise hold the process open for a few seconds.
setTimeout(() => process.exit(code), 20).unref();
