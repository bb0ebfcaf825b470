/**
 * The start-up fast path parses a plain `check` line without yargs (src/cli/direct-parse.ts).
 * It must never accept a line yargs would parse differently or refuse: for random lines built
 * from the real flags, values, choices and the words that trip parsers up, every line the fast
 * path accepts gets the same arguments from yargs with the real check builder, strict, as
 * faultline.ts configures it. And it must really take the plain lines, or start-up pays for
 * yargs again.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import yargs from 'yargs';
import { CHECK_FLAGS } from '../../../src/cli/check-flags.js';
import { commandNamed } from '../../../src/cli/command-table.js';
import { checkBuilder } from '../../../src/cli/commands/check.js';
import { parsedDirectly } from '../../../src/cli/direct-parse.js';

const direct = commandNamed('check')?.direct;
if (direct === undefined) throw new Error('check has no direct-parse table');

/** What yargs hands check's handler for `argv`, or 'refused'. */
function viaYargs(argv: readonly string[]): Record<string, unknown> | 'refused' {
  let got: Record<string, unknown> | 'refused' = 'refused';
  yargs([...argv])
    .option('color', { type: 'boolean' })
    .command('check <history...>', '', checkBuilder, (a) => {
      got = a as Record<string, unknown>;
    })
    .command(
      'list',
      '',
      (y) => y,
      () => undefined,
    )
    .strict()
    .fail(() => {
      got = 'refused';
    })
    .help()
    .version('0')
    .exitProcess(false)
    .parse();
  return got;
}

/** The arguments check reads: its positional and flags (and the global color flag). */
const KEYS = ['history', 'color', ...Object.keys(CHECK_FLAGS)];
const relevant = (a: Record<string, unknown>) => Object.fromEntries(KEYS.map((k) => [k, a[k]]));

const WORDS = [
  'check',
  'list',
  'h.json',
  'b.edn',
  '12',
  'true',
  'false',
  '-',
  '--',
  '-h',
  '--help',
  '--version',
  '--color',
  '--no-color',
  '--partition',
  '--no-partition',
  '--no-json',
  '--no-model',
  '--json=true',
  '--model=kv',
  '--modle',
  '--Model',
  '-m',
  '--format=edn',
  '--format=bogus',
  'kv',
  'edn',
  'full',
  'bogus',
  '10s',
  '0',
  ...Object.keys(CHECK_FLAGS).map((f) => `--${f}`),
];

describe('check lines parsed without yargs', () => {
  /** Mostly lines that start as a user's would, so that many are plain enough to accept. */
  const lines = fc.oneof(
    fc.array(fc.constantFrom(...WORDS), { maxLength: 7 }),
    fc
      .tuple(fc.array(fc.constantFrom(...WORDS), { maxLength: 5 }))
      .map(([rest]) => ['check', 'h.json', ...rest]),
  );
  test.prop([lines], { numRuns: 2000 })(
    'every line the fast path accepts, yargs parses to the same arguments',
    (argv) => {
      const fast = parsedDirectly(argv, direct);
      if (fast === undefined) return;
      const slow = viaYargs(argv);
      expect(slow).not.toBe('refused');
      expect(relevant(fast)).toEqual(relevant(slow as Record<string, unknown>));
    },
  );

  it('takes the plain lines a user types', () => {
    for (const argv of [
      ['check', 'h.json'],
      ['check', 'a.json', 'b.json', '--json'],
      ['--no-color', 'check', 'h.edn', '--model', 'cas-register', '--initial', '0'],
      ['check', 'h.txt', '--model=kv', '--no-partition', '--timeout', '10s', '--evidence', 'full'],
    ])
      expect(relevant(parsedDirectly(argv, direct) ?? {})).toEqual(
        relevant(viaYargs(argv) as Record<string, unknown>),
      );
  });

  it('leaves help, typos and bad choices to yargs', () => {
    for (const argv of [
      ['check', '--help'],
      ['check', 'h.json', '--modle', 'kv'],
      ['check', 'h.json', '--format', 'bogus'],
      ['check'],
      ['check', 'h.json', '--json', 'false'],
      ['--json', 'check', 'h.json'],
      ['check', 'h.json', '--model', '--no-color', 'b.json'],
    ])
      expect(parsedDirectly(argv, direct)).toBeUndefined();
  });
});
