/**
 * The start-up fast path: a command line that is plainly well formed is parsed here, with
 * node's own `util.parseArgs`, and its command runs without yargs. yargs and the help renderer
 * it drives (cliui, string-width and its `Intl.Segmenter`, which yargs builds and renders on
 * every run, not only for `--help`) cost more than a bare node start on their own, and `check`
 * of a small history should feel instant.
 *
 * yargs stays the authority: anything this parser is not sure of — help, an unknown or repeated
 * flag, a short flag, `--`, a missing value, a value outside its choices, a boolean given a value,
 * a number where a file name goes — is declined, and yargs parses the line and says what is wrong
 * the way it always has. A test checks that every line accepted here gets the same arguments
 * from yargs.
 */
import { parseArgs } from 'node:util';

interface FlagSpec {
  readonly type: 'string' | 'boolean';
  readonly choices?: readonly string[];
  readonly default?: string | boolean;
}
export type FlagTable = Readonly<Record<string, FlagSpec>>;

/** A command whose line may be parsed directly: its variadic positional and its flags. */
export interface DirectCommand {
  readonly name: string;
  /** The `<name...>` positional: one or more. */
  readonly positional: string;
  readonly flags: FlagTable;
}

/** Flags every command takes (faultline.ts declares them for yargs). */
const GLOBAL_FLAGS: FlagTable = { color: { type: 'boolean' } };

/** Words that make yargs do something other than run the command. */
const DECLINED_WORDS = new Set(['--', '-h', '--help', '--version', 'true', 'false']);
const looksNumeric = (w: string): boolean => w.trim() !== '' && Number.isFinite(Number(w));

/**
 * The handler's arguments for `argv`, as yargs would give them, or undefined when the line is
 * anything but plain (yargs then parses it).
 */
export function parsedDirectly(
  argv: readonly string[],
  command: DirectCommand,
): Record<string, unknown> | undefined {
  const flags: FlagTable = { ...GLOBAL_FLAGS, ...command.flags };
  const at = argv.indexOf(command.name);
  // Before the command only the global flags: yargs reads a command's flag there differently.
  if (at < 0 || argv.slice(0, at).some((w) => !/^--(no-)?color$/.test(w))) return undefined;
  const words = withoutNegations(argv, flags);
  if (words === undefined) return undefined;
  const parsed = parsedOrUndefined(words.rest, flags);
  if (parsed === undefined) return undefined;
  const [name, ...files] = parsed.positionals;
  if (name !== command.name || files.length === 0 || files.some(looksNumeric)) return undefined;
  const values: Record<string, unknown> = { ...parsed.values, ...words.negated };
  for (const [flag, spec] of Object.entries(flags)) {
    const v = values[flag];
    if (spec.choices !== undefined && v !== undefined && !spec.choices.includes(v as string))
      return undefined;
    if (v === undefined && spec.default !== undefined) values[flag] = spec.default;
  }
  return { _: [name], $0: 'faultline', [command.positional]: files, ...values };
}

/**
 * `--no-<flag>` of a boolean flag set to false, taken out (node 20's parseArgs knows no
 * negations); undefined when a word is declined or a flag is named twice in any form.
 */
function withoutNegations(
  argv: readonly string[],
  flags: FlagTable,
): { rest: string[]; negated: Record<string, false> } | undefined {
  const rest: string[] = [];
  const negated: Record<string, false> = {};
  const named = new Set<string>();
  let wantsValue = false;
  for (const w of argv) {
    if (DECLINED_WORDS.has(w) || /^-[^-]/.test(w) || w === '-') return undefined;
    // A flag where a string flag's value goes: yargs may read it either way.
    if (wantsValue && w.startsWith('-')) return undefined;
    wantsValue = w.startsWith('--') && !w.includes('=') && flags[w.slice(2)]?.type === 'string';
    if (!w.startsWith('--')) {
      rest.push(w);
      continue;
    }
    const flag = (w.slice(2).split('=')[0] as string).replace(/^no-/, '');
    if (named.has(flag)) return undefined;
    named.add(flag);
    if (w.startsWith('--no-') && flags[flag]?.type === 'boolean' && !w.includes('='))
      negated[flag] = false;
    else rest.push(w);
  }
  return { rest, negated };
}

function parsedOrUndefined(words: string[], flags: FlagTable) {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [flag, spec] of Object.entries(flags)) options[flag] = { type: spec.type };
  try {
    return parseArgs({ args: words, options, strict: true, allowPositionals: true });
  } catch {
    return undefined;
  }
}
