/**
 * The known bugs this library ships as switchable mutations (DESIGN §8), each off unless its
 * name is in a type's `bugs` option, and each a real one (../shared/research/
 * bugs-and-fault-models.md, "CRDTs, clocks, causality", gives the schedules and sources). A
 * replication protocol declares its own named bugs and passes these names through; the unit
 * tests under test/unit/components show each breaking exactly the law or example it should.
 */
import type { VectorClockBug } from '../clocks/vector-clock.js';

export type CrdtBug =
  | VectorClockBug
  | 'or-set.no-unique-tags'
  | 'or-set.merge-keeps-present-on-both'
  | 'g-counter.merge-sums';

export interface CrdtBugDefinition {
  readonly name: CrdtBug;
  readonly summary: string;
  /** Its number in the research catalogue. */
  readonly catalogue?: number;
  /** Where it happened. */
  readonly source: string;
}

export const CRDT_NAMED_BUGS: readonly CrdtBugDefinition[] = [
  {
    name: 'or-set.no-unique-tags',
    summary:
      'an add is tagged with the element itself instead of a fresh dot, so a remove that saw ' +
      'one add of x also cancels every concurrent and later add of x (add-wins broken)',
    catalogue: 36,
    source: 'Shapiro et al. 2011 (INRIA RR-7506): the OR-Set needs unique tags',
  },
  {
    name: 'or-set.merge-keeps-present-on-both',
    summary:
      'merge keeps an element present on both sides with the union of its dots, even when ' +
      "each side's context shows the other's dots were removed",
    catalogue: 37,
    source: 'basho/riak_dt#82 (ORSWOT; the Map and Flag merges were broken the same way)',
  },
  {
    name: 'vector-clock.ignore-missing-entries',
    summary:
      "compare walks only the first clock's entries, so {b:1,c:1,d:1} is judged to descend " +
      'from {a:1,b:1} and a concurrent sibling is discarded',
    catalogue: 39,
    source: 'DistributedClocks/GoVector#68; voldemort/voldemort#21',
  },
  {
    name: 'g-counter.merge-sums',
    summary:
      "merge adds the two replicas' counts per node instead of taking the maximum, so " +
      'every re-delivery of a state counts its increments again',
    source: 'the textbook mistake the G-Counter exists to avoid (Shapiro et al. 2011, §3.1.1)',
  },
];
