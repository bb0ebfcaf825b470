/**
 * A scenario whose liveness phase can never pass is a mistake in the scenario, not a finding
 * about the protocol: reported as a scenario error, not as a liveness violation on every seed.
 *
 * "Never" is meant strictly, from facts the scenario fixes for every seed: clients reach nodes
 * over the network's default links (per-link overrides join nodes only), a request and its
 * reply each take at least the shortest delay the distribution can draw, and so no final read
 * completes if every client message is lost, if the final phase ends no later than the fastest
 * possible round trip, or if a client gives up on every attempt before its reply can arrive (a
 * timeout scheduled at the instant of a reply runs first). What only makes failure likely
 * (heavy loss, a short phase, slow disks, a protocol that needs several round trips) is left
 * alone: finding those failures is what runs are for.
 */
import type { DelaySpec } from '../core/delay.js';
import { PPM } from '../core/prng.js';
import { formatDuration, type Micros } from '../core/time.js';
import type { LinkConfig } from '../net/network.js';
import type { PhaseSpec } from '../sim/world-config.js';
import type { ClientSpec } from './scenario.js';
import type { ScenarioProblem } from './scenario-problem.js';

export interface LivenessFacts {
  /** The links clients use. */
  readonly clientLinks: LinkConfig;
  readonly phases: PhaseSpec;
  readonly clients: ClientSpec;
}

const NEVER = 'liveness would fail on every seed';

/** Problems that make the liveness phase impossible; empty when it can pass. */
export function livenessImpossible(facts: LivenessFacts): ScenarioProblem[] {
  const { clientLinks, phases, clients } = facts;
  if (clientLinks.lossPpm >= PPM)
    return [
      {
        path: ['network', 'loss'],
        message: `every message is lost (loss 1), so no client request ever reaches a node and ${NEVER}`,
      },
    ];
  const oneWay = shortestDelay(clientLinks.delay);
  const roundTrip = `${formatDuration(2 * oneWay)} at the shortest network delay of ${formatDuration(oneWay)} each way`;
  const problems: ScenarioProblem[] = [];
  if (phases.finalUs <= 2 * oneWay)
    problems.push({
      path: ['phases', 'final'],
      message: `the final phase (${formatDuration(phases.finalUs)}) is no longer than one client round trip (${roundTrip}): no final read can complete, so ${NEVER}`,
    });
  if (clients.timeoutUs <= 2 * oneWay)
    problems.push({
      path: ['workload', 'timeout'],
      message: `every operation times out before its reply can arrive: the timeout (${formatDuration(clients.timeoutUs)}) is no longer than one round trip (${roundTrip}), so ${NEVER}`,
    });
  return problems;
}

function shortestDelay(d: DelaySpec): Micros {
  return d.dist === 'constant' ? d.us : d.minUs;
}
