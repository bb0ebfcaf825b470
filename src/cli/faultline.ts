/**
 * The `faultline` command as a function: the arguments in, the exit code out, output on the
 * process's stdout and stderr. `main.ts` wires it to a process; the end-to-end tests call it in
 * their own process where what they check is not the process boundary (a run's output, its
 * reports, its exit code), which spares them a node start per command.
 *
 * User errors (bad flags, bad files) become one message and their documented exit code, never a
 * stack trace; anything else is an internal error (70) and does print its stack, since it is a
 * bug in faultline to report. Start-up is part of the interface: `--version` answers without
 * loading yargs, a plain `check` line is parsed without it too (direct-parse.ts: yargs and its
 * help renderer cost more than node's own start), and only the command that runs has its
 * modules imported (a simulation pulls in every protocol, zod and the worker pool; `check` needs
 * none of them). The other commands are listed for `--help` and "did you mean" from a table
 * that costs nothing to load.
 */
import { EXIT, EXIT_CODE_TABLE, UserError } from '../runner/exit-codes.js';
import { COMMANDS, type CommandEntry, commandNamed, type LoadedCommand } from './command-table.js';
import { parsedDirectly } from './direct-parse.js';
import { ownVersion } from './version.js';

const USAGE =
  '$0 <command> [options]\n\nDeterministic distributed-systems simulator: ' +
  'one seed fixes every fault; failing seeds replay byte for byte.';

/** Runs one command line (without `node` and the script) and resolves to its exit code. */
export async function faultline(argv: readonly string[]): Promise<number> {
  try {
    return await parsed([...argv]);
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`faultline: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(
      `faultline: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    return EXIT.internal;
  }
}

/** The command the user named: the first word that is not a flag (global flags are boolean). */
function invoked(argv: readonly string[]): CommandEntry | undefined {
  const word = argv.find((a) => !a.startsWith('-'));
  return word === undefined ? undefined : commandNamed(word);
}

async function parsed(argv: string[]): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${ownVersion()}\n`);
    return EXIT.valid;
  }
  const colorFlag = argv.includes('--no-color')
    ? false
    : argv.includes('--color')
      ? true
      : undefined;
  const entry = invoked(argv);
  const direct = entry?.direct && parsedDirectly(argv, entry.direct);
  if (entry !== undefined && direct !== undefined) {
    const [{ configureColor }, loaded] = await Promise.all([import('./colors.js'), entry.load()]);
    configureColor(colorFlag);
    return await loaded.handler(direct);
  }
  const [{ configureColor }, { default: yargs }, { failure }] = await Promise.all([
    import('./colors.js'),
    import('yargs'),
    import('./flag-errors.js'),
  ]);
  configureColor(colorFlag);
  const loaded = entry === undefined ? undefined : await entry.load();
  let code: number = EXIT.valid;
  let y = yargs(argv).scriptName('faultline').usage(USAGE).option('color', {
    type: 'boolean',
    describe: 'force color on; --no-color (or NO_COLOR=1) turns it off',
  });
  for (const c of COMMANDS) {
    const real: LoadedCommand | undefined = c === entry ? loaded : undefined;
    y = y.command(
      c.command,
      c.describe,
      (inner) => (real === undefined ? inner : real.builder(examplesOnTheirOwnLines(inner))),
      async (a) => {
        code = await (real as LoadedCommand).handler(a);
      },
    );
  }
  await y
    .demandCommand(1, 'name a command: run, fuzz, shrink, merge, replay, check or list')
    .recommendCommands()
    .strict()
    .epilogue(EXIT_CODE_TABLE)
    .fail(failure)
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .help()
    .version(ownVersion())
    // --help and --version end the command, not the process (which may be a test's).
    .exitProcess(false)
    .parseAsync();
  return code;
}

/**
 * yargs lays examples out in two columns and wraps a long command in the middle, which cannot
 * be pasted. Each example becomes its description as a shell comment, then the whole command
 * on a line of its own.
 */
function examplesOnTheirOwnLines<T>(y: import('yargs').Argv<T>): import('yargs').Argv<T> {
  const example = y.example.bind(y) as (cmd: string, description: string) => unknown;
  const own = (cmd: string | readonly [string, string?][], description?: string) => {
    const list = typeof cmd === 'string' ? [[cmd, description] as const] : cmd;
    for (const [c, d] of list) {
      if (d !== undefined && d !== '') example(`# ${d}`, '');
      example(c, '');
    }
    return y;
  };
  return Object.assign(y, { example: own });
}
