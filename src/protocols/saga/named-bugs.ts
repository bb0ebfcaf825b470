/**
 * The saga's named bugs, each from a real system (README.md says where), with the canary that
 * proves the fuzzer still catches it, and the coverage marks the saga scenarios must hit, so a
 * clean sweep means the paths really ran.
 */
import type { BugDefinition, CoverageDefinition } from '../../core/protocol-definition.js';

const CRASH = 'scenarios/saga-crash.yaml';
const DUPLICATES = 'scenarios/saga-duplicates.yaml';
const PARTITION = 'scenarios/saga-partition.yaml';

export const SAGA_NAMED_BUGS = [
  {
    name: 'saga.forward-compensation',
    summary:
      'on a failed step the orchestrator compensates the applied steps in forward order, not ' +
      'in reverse (danielgerlag/workflow-core#191: compensated 4,1,2,3 instead of 4,3,2,1)',
    canary: {
      scenario: CRASH,
      checker: 'saga-completion',
      budget: 5,
      seeds: [1],
      measured: '100/100 seeds (100%), first at 1, 2, 3',
      says: 'compensations must run in reverse order',
    },
  },
  {
    name: 'saga.non-idempotent-compensation',
    summary:
      'a service applies a compensation on every delivery instead of once per (saga id, step ' +
      'id), so a retried or duplicated Compensate cancels twice (catalogue B34)',
    canary: {
      scenario: DUPLICATES,
      checker: 'saga-completion',
      budget: 5,
      seeds: [1],
      measured: '100/100 seeds (100%), first at 1, 2, 3',
      says: 'compensation ran 2 times',
    },
  },
] as const satisfies readonly BugDefinition[];

export const SAGA_COVERAGE: readonly CoverageDefinition[] = [
  { scenario: CRASH, seeds: 5, marks: ['saga.compensating', 'saga.orchestrator-recovered'] },
  { scenario: PARTITION, seeds: 5, marks: ['saga.compensating', 'saga.retry'] },
  { scenario: DUPLICATES, seeds: 5, marks: ['saga.compensating', 'saga.duplicate-command'] },
];
