/**
 * `--bug NAME` checked against the scenario's protocol before anything runs: an unknown name is
 * one message and exit 64, naming the protocol's bugs and, when the name is a near miss or lacks
 * its protocol (`ack-before-fsync`), the qualified name that was probably meant.
 */
import { validateBugs, type Scenario } from '../scenario/index.js';
import { EXIT, UserError } from '../runner/exit-codes.js';
import { bugHint } from './flag-errors.js';

export function checkBugFlags(scenario: Scenario, bugs: readonly string[]): void {
  const bad = validateBugs(scenario, bugs);
  if (bad === undefined) return;
  const own = scenario.protocol.bugs.map((b) => b.name);
  const wrong = bugs.find((b) => !own.includes(b)) ?? '';
  const others = scenario.registry.protocols
    .filter((p) => p.name !== scenario.protocol.name)
    .flatMap((p) => p.bugs.map((b) => b.name));
  const hint = bad.includes('did you mean') ? undefined : bugHint(wrong, own, others);
  throw new UserError(`--bug: ${bad}${hint === undefined ? '' : `; ${hint}`}`, EXIT.usage);
}
