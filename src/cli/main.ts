#!/usr/bin/env node
/**
 * The `faultline` executable: runs the command line (`faultline.ts`) and exits with its code.
 * Only this file knows it is a process: the exit code, and output piped into `head` and closed
 * early, which is not an error worth a stack trace.
 */
import { faultline } from './faultline.js';

for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

faultline(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
