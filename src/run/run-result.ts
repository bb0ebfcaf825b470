/**
 * The result of one seed, as written to `reports/<scenario>/<seed>/result.json`. The schema is
 * versioned: readers check `schemaVersion` and refuse what they do not know. The history and the
 * trace are written beside it (`history.json`, `trace.ndjson`), not inside it.
 */
import type { ClientSide, SideCounts } from '../core/client-sides.js';
import type { CheckResult } from '../checkers/check-result.js';
import type { FaultRecord } from '../sim/faults.js';
import type { Metrics } from '../core/metrics.js';

/** 2: metrics carry their labels; fault records carry structured `data` instead of `blocked`. */
export const RESULT_SCHEMA_VERSION = 2;

export interface RunResult {
  readonly schemaVersion: typeof RESULT_SCHEMA_VERSION;
  readonly tool: 'faultline';
  readonly scenario: {
    readonly file: string;
    readonly name: string;
    readonly contentHash: string;
    /**
     * The scenario file's path relative to the folder holding this result.json (written with
     * the report), so the report finds its scenario from any working directory.
     */
    readonly relativeToReport?: string;
  };
  readonly seed: number;
  readonly bugs: readonly string[];
  /** `--option KEY=VALUE` flags the run set over the scenario's protocol options, as written. */
  readonly options?: readonly string[];
  readonly verdict: 'valid' | 'invalid' | 'unknown';
  /** Why the run ended: final reads done, a limit, or a protocol error. */
  readonly status: string;
  readonly endUs: number;
  readonly events: number;
  readonly traceHash: string;
  readonly checks: readonly CheckResult[];
  /** The protocol's and the workload's measures, by name. */
  readonly metrics: Metrics;
  readonly stats: {
    readonly ops: Readonly<Record<string, number>>;
    readonly network: Readonly<Record<string, number>>;
    readonly marks: Readonly<Record<string, number>>;
    readonly disk: Readonly<Record<string, unknown>>;
    /**
     * With placed clients: operations (final reads left out) by the side of the partition their
     * client was on when it invoked them, attempted and by outcome (core/client-sides.ts).
     */
    readonly sides?: Readonly<Record<ClientSide, SideCounts>>;
  };
  readonly faults: readonly FaultRecord[];
  /** A protocol exception or assertion that ended the run, if any. */
  readonly error?: string;
  /** With swarm testing (`--swarm`): which random nemesis kinds this seed ran, and how scaled. */
  readonly swarm?: SwarmChoice;
}

/**
 * How the CLI is invoked in a printed command when the caller does not say: `npx faultline`,
 * which resolves in a project that installed faultline. The CLI passes its own invocation (in
 * a clone, `node dist/cli/main.js`), so what it prints runs from where the user stands.
 */
const CLI_DEFAULT = 'npx faultline';

/** A word for a POSIX shell: as it is when it holds nothing the shell would read, else quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** The command that reruns this seed exactly, with `cli` as the way to invoke faultline. */
export function replayCommand(
  r: Pick<RunResult, 'scenario' | 'seed' | 'bugs' | 'options'> & { readonly swarm?: unknown },
  scenarioBugs: readonly string[] = [],
  cli: string = CLI_DEFAULT,
): string {
  const extra = r.bugs.filter((b) => !scenarioBugs.includes(b));
  const bugs = extra.map((b) => ` --bug ${shellWord(b)}`).join('');
  const options = (r.options ?? []).map((o) => ` --option ${shellWord(o)}`).join('');
  const swarm = r.swarm !== undefined ? ' --swarm' : '';
  return `${cli} run ${shellWord(r.scenario.file)} --seed ${r.seed}${bugs}${options}${swarm}`;
}

interface SwarmKind {
  /** The fault kind of the random nemesis. */
  readonly kind: string;
  /** Strikes this many percent as often as configured. */
  readonly ratePercent: number;
  /** Each fault lasts this many percent of the configured duration. */
  readonly holdPercent: number;
}

/**
 * What swarm testing (run/swarm.ts) chose for one seed: the kinds on (with their scaling) and the
 * kinds off.
 */
export interface SwarmChoice {
  readonly on: readonly SwarmKind[];
  readonly off: readonly string[];
}
