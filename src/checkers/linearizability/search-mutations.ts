/**
 * Deliberately broken variants of the search's pruning rules, one per rule (DESIGN §8: a test
 * that cannot fail proves nothing). A wrong prune gives a wrong verdict, so each rule has a
 * property test against the brute-force oracle, and each variant here is the plausible way to get
 * that rule wrong; the same property must catch it (test/property/linearizability-pruning.test.ts).
 * The search takes at most one, through `CheckOptions.mutation`; nothing outside the tests sets it.
 */

export type SearchMutation =
  | 'read-only-first.past-return'
  | 'pool-classes.latest-first'
  | 'pool-dominance.reversed'
  | 'pool-unchanged.known-too'
  | 'pool-overwritten.any-legal'
  | 'doomed-reads.ignore-writes'
  | 'pending-appends.by-call'
  | 'reads-ahead.unknown-too'
  | 'doom-from-start.by-call';

export interface SearchMutationDefinition {
  readonly name: SearchMutation;
  /** The rule it breaks, as search.ts states it. */
  readonly rule: string;
  readonly summary: string;
}

export const SEARCH_MUTATIONS: readonly SearchMutationDefinition[] = [
  {
    name: 'read-only-first.past-return',
    rule: 'a legal read-only candidate is linearized at once, with no alternatives',
    summary: 'also forces a read-only operation called after a pending return (not a candidate)',
  },
  {
    name: 'pool-classes.latest-first',
    rule: 'interchangeable unknown operations are used in call order',
    summary: 'uses each class latest-called first, so an earlier member that could go is missed',
  },
  {
    name: 'pool-dominance.reversed',
    rule: 'a configuration that used more of a pool class than one seen is dominated by it',
    summary: 'takes the configuration that used fewer as the dominated one',
  },
  {
    name: 'pool-unchanged.known-too',
    rule: 'an unknown operation that leaves the state as it is is never used',
    summary: 'skips an operation with a return that leaves the state as it is, too',
  },
  {
    name: 'pool-overwritten.any-legal',
    rule: 'an operation that makes the unknown one just used pointless is not tried after it',
    summary: 'skips any operation legal before the unknown one, whatever state it leads to',
  },
  {
    name: 'doomed-reads.ignore-writes',
    rule: 'a read is doomed when no state a write still able to precede it sets can lead to it',
    summary: 'dooms a read the current state cannot lead to, ignoring the writes still to come',
  },
  {
    name: 'pending-appends.by-call',
    rule: 'what a read still needs must be made of appends called by the time it returned',
    summary: 'counts only the appends called by the time the read was called',
  },
  {
    name: 'reads-ahead.unknown-too',
    rule: 'the next reads to come, called or not, are checked for one that can never hold',
    summary: 'checks reads whose outcome is unknown as well, as if their output had been seen',
  },
  {
    name: 'doom-from-start.by-call',
    rule: 'a read nothing called by the time it returned can explain dooms the whole history',
    summary: 'looks only at the operations called by the time the read was called',
  },
];
