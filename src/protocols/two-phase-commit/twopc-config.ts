/**
 * A two-phase commit node's configuration, built once per protocol instance and passed to every
 * handler: the scenario's options in microseconds, who coordinates and which node holds which
 * shard, and the named bugs (README.md) as booleans, so a step tests a field instead of looking
 * up a name. The first node (sorted) is the coordinator; shard i lives on the (i + 2)-th node.
 */
import type { NodeId } from '../../core/ids.js';
import type { Micros } from '../../core/time.js';
import type { TWO_PC_NAMED_BUGS } from './named-bugs.js';

export interface TwoPcOptions {
  readonly voteTimeoutMs: number;
  readonly resendMs: number;
  readonly askMs: number;
  readonly cooperativeTermination: boolean;
}

type TwoPcBug = (typeof TWO_PC_NAMED_BUGS)[number]['name'];

interface TwoPcBugSwitches {
  readonly participantForgetsPrepared: boolean;
  readonly commitOnVoteTimeout: boolean;
  readonly sendBeforeLoggingDecision: boolean;
  readonly earlyReadLockRelease: boolean;
}

export interface TwoPcConfig {
  /** How long the coordinator waits for every vote before it aborts. */
  readonly voteTimeoutUs: Micros;
  /** How often the coordinator re-sends a commit not yet acknowledged. */
  readonly resendUs: Micros;
  /** How long a participant stays in doubt before it asks, and then how often it asks again. */
  readonly askUs: Micros;
  /** A participant in doubt asks the other participants too (BHG §7.4). */
  readonly cooperative: boolean;
  readonly coordinator: NodeId;
  /** Participants by shard: shard i is `participants[i]`. */
  readonly participants: readonly NodeId[];
  readonly bugs: TwoPcBugSwitches;
}

export function createTwoPcConfig(
  options: TwoPcOptions,
  bugs: ReadonlySet<string>,
  nodes: readonly NodeId[],
): TwoPcConfig {
  const sorted = [...nodes].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const on = (name: TwoPcBug) => bugs.has(name);
  return {
    voteTimeoutUs: options.voteTimeoutMs * 1000,
    resendUs: options.resendMs * 1000,
    askUs: options.askMs * 1000,
    cooperative: options.cooperativeTermination,
    coordinator: sorted[0] as NodeId,
    participants: sorted.slice(1),
    bugs: {
      participantForgetsPrepared: on('two-phase-commit.participant-forgets-prepared'),
      commitOnVoteTimeout: on('two-phase-commit.commit-on-vote-timeout'),
      sendBeforeLoggingDecision: on('two-phase-commit.send-before-logging-decision'),
      earlyReadLockRelease: on('two-phase-commit.early-read-lock-release'),
    },
  };
}
