/**
 * Every checker a scenario can name, with a one-line description for `faultline list`.
 * Checkers are pure functions over a run's history and observations (src/checkers/*).
 */
export interface CheckerInfo {
  readonly name: string;
  readonly summary: string;
  /** Workloads whose histories it understands; `any` for all. */
  readonly workloads: readonly string[];
}

export const CHECKERS: readonly CheckerInfo[] = [
  {
    name: 'durability',
    summary:
      'every acknowledged append is in the final read of its key after healing; a failed one never is; an unknown one may be',
    workloads: ['kv'],
  },
  {
    name: 'linearizability',
    summary:
      'what clients saw has a legal sequential order that respects real time (kv-list model, split by key); a violation names the operation nothing explains',
    workloads: ['kv'],
  },
  {
    name: 'liveness',
    summary: 'after faults heal, the final reads complete within the final phase',
    workloads: ['kv'],
  },
  {
    name: 'invariants',
    summary: 'no protocol assertion (checkInvariants or assert) fired during the run',
    workloads: ['any'],
  },
];

export const findChecker = (name: string): CheckerInfo | undefined =>
  CHECKERS.find((c) => c.name === name);
