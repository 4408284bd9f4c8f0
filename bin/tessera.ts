#!/usr/bin/env node
// The `tessera` operator CLI; everything but the process lives in src/admin/cli/main.ts.
import { runCli } from '../src/admin/cli/main.ts';

// `tessera tenant list | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// exitCode, not exit(): let buffered output drain first.
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
