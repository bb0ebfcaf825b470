#!/usr/bin/env node
/**
 * The `faultline` command. A thin yargs shell over the library: each command returns an exit
 * code; user errors (bad flags, bad files) become one message and their documented exit code,
 * never a stack trace; anything else is an internal error (70) and does print its stack, since
 * it is a bug in faultline to report.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { configureColor } from './colors.js';
import { EXIT, EXIT_CODE_TABLE, UserError } from '../runner/exit-codes.js';
import { checkBuilder, checkCommand, type CheckArgs } from './commands/check.js';
import { fuzzBuilder, fuzzCommand, type FuzzArgs } from './commands/fuzz.js';
import { mergeBuilder, mergeCommand, type MergeArgs } from './commands/merge.js';
import { shrinkBuilder, shrinkCommand, type ShrinkArgs } from './commands/shrink.js';
import { listBuilder, listCommand } from './commands/list.js';
import { replayBuilder, replayCommand, type ReplayArgs } from './commands/replay.js';
import { runBuilder, runCommand, type RunArgs } from './commands/run.js';

async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.valid;
  const colorFlag = argv.includes('--no-color')
    ? false
    : argv.includes('--color')
      ? true
      : undefined;
  configureColor(colorFlag);
  await yargs(argv)
    .scriptName('faultline')
    .usage(
      '$0 <command> [options]\n\nDeterministic distributed-systems simulator: one seed fixes every fault; failing seeds replay byte for byte.',
    )
    .option('color', {
      type: 'boolean',
      describe: 'color output (default: on for terminals; honours NO_COLOR)',
    })
    .command(
      'run <scenario>',
      'run a scenario for one seed or a range of seeds',
      runBuilder,
      async (a) => {
        code = await runCommand(a as unknown as RunArgs);
      },
    )
    .command(
      'fuzz <scenario..>',
      'sweep many seeds to find failures: sharding, swarm testing, stop on first, shrinking',
      fuzzBuilder,
      async (a) => {
        code = await fuzzCommand(a as unknown as FuzzArgs);
      },
    )
    .command(
      'shrink <result>',
      'shrink a failing seed into a smaller scenario file that fails the same way',
      shrinkBuilder,
      async (a) => {
        code = await shrinkCommand(a as unknown as ShrinkArgs);
      },
    )
    .command(
      'merge <files...>',
      'combine the `fuzz --json` documents of a sharded sweep into one summary',
      mergeBuilder,
      (a) => {
        code = mergeCommand(a as unknown as MergeArgs);
      },
    )
    .command(
      'replay <result>',
      'rerun the seed a result.json records and confirm its trace hash',
      replayBuilder,
      async (a) => {
        code = await replayCommand(a as unknown as ReplayArgs);
      },
    )
    .command(
      'check <history...>',
      'check histories for linearizability (faultline JSON, Porcupine kv, Jepsen etcd logs, history.edn)',
      checkBuilder,
      (a) => {
        code = checkCommand(a as unknown as CheckArgs);
      },
    )
    .command(
      'list',
      'list protocols, workloads, faults, checkers and named bugs',
      listBuilder,
      (a) => {
        code = listCommand(a as { json?: boolean });
      },
    )
    .demandCommand(1, 'name a command: run, fuzz, shrink, merge, replay, check or list')
    .recommendCommands()
    .strict()
    .epilogue(EXIT_CODE_TABLE)
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(msg, EXIT.usage);
    })
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .help()
    .version()
    .parseAsync();
  return code;
}

// Output piped into `head` and closed early is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UserError) {
      process.stderr.write(`faultline: ${e.message}\n`);
      process.exitCode = e.exitCode;
    } else {
      process.stderr.write(
        `faultline: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exitCode = EXIT.internal;
    }
  },
);
