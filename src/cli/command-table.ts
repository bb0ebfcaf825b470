/**
 * Every command, as what `--help` needs (its usage and one line) and a loader for the module that
 * implements it. Only the command being run is loaded, so `faultline check` never imports the
 * simulator and `faultline --help` imports no command at all. Loaders are plain `import()`s, so
 * the build, dependency-cruiser and knip all still see each module.
 */
import type { Argv } from 'yargs';
import { CHECK_FLAGS } from './check-flags.js';
import type { DirectCommand } from './direct-parse.js';

export interface LoadedCommand {
  // yargs' builder types are precise per command; the table only passes them through.
  // biome-ignore lint/suspicious/noExplicitAny: each command narrows its own argument type
  readonly builder: (y: Argv) => Argv<any>;
  // biome-ignore lint/suspicious/noExplicitAny: yargs hands each handler the arguments it built
  readonly handler: (args: any) => number | Promise<number>;
}

export interface CommandEntry {
  readonly name: string;
  /** The usage yargs parses: name and positionals. */
  readonly command: string;
  readonly describe: string;
  readonly load: () => Promise<LoadedCommand>;
  /** For a command whose plain lines may skip yargs (direct-parse.ts): its flags as data. */
  readonly direct?: DirectCommand;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'run',
    command: 'run <scenario>',
    describe: 'run a scenario for one seed or a range of seeds',
    load: async () => {
      const m = await import('./commands/run.js');
      return { builder: m.runBuilder, handler: m.runCommand };
    },
  },
  {
    name: 'fuzz',
    command: 'fuzz <scenario..>',
    describe:
      'sweep many seeds to find failures: sharding, swarm testing, stop on first, shrinking',
    load: async () => {
      const m = await import('./commands/fuzz.js');
      return { builder: m.fuzzBuilder, handler: m.fuzzCommand };
    },
  },
  {
    name: 'shrink',
    command: 'shrink <result>',
    describe: 'shrink a failing seed into a smaller scenario file that fails the same way',
    load: async () => {
      const m = await import('./commands/shrink.js');
      return { builder: m.shrinkBuilder, handler: m.shrinkCommand };
    },
  },
  {
    name: 'merge',
    command: 'merge <files...>',
    describe: 'combine the `fuzz --json` documents of a sharded sweep into one summary',
    load: async () => {
      const m = await import('./commands/merge.js');
      return { builder: m.mergeBuilder, handler: m.mergeCommand };
    },
  },
  {
    name: 'replay',
    command: 'replay <result>',
    describe: 'rerun the seed a result.json records and confirm its trace hash',
    load: async () => {
      const m = await import('./commands/replay.js');
      return { builder: m.replayBuilder, handler: m.replayCommand };
    },
  },
  {
    name: 'report',
    command: 'report <result>',
    describe: 'draw a result as one self-contained report.html (space-time diagram, history)',
    load: async () => {
      const m = await import('./commands/report.js');
      return { builder: m.reportBuilder, handler: m.reportCommand };
    },
  },
  {
    name: 'compare',
    command: 'compare <lesson>',
    describe:
      'run every variant of a lesson file over the same seeds; one table, variants as columns',
    load: async () => {
      const m = await import('./commands/compare.js');
      return { builder: m.compareBuilder, handler: m.compareCommand };
    },
  },
  {
    name: 'check',
    command: 'check <history...>',
    describe:
      'check histories for linearizability ' +
      '(faultline JSON, Porcupine kv, Jepsen etcd logs, history.edn)',
    load: async () => {
      const m = await import('./commands/check.js');
      return { builder: m.checkBuilder, handler: m.checkCommand };
    },
    direct: { name: 'check', positional: 'history', flags: CHECK_FLAGS },
  },
  {
    name: 'list',
    command: 'list',
    describe: 'list protocols, workloads, faults, checkers and named bugs',
    load: async () => {
      const m = await import('./commands/list.js');
      return { builder: m.listBuilder, handler: m.listCommand };
    },
  },
];

export function commandNamed(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name);
}
