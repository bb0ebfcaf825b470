/**
 * Every checker a scenario can name, in the order their results are reported. A scenario that
 * names none runs every checker that fits its workload. Adding a checker is a file beside these
 * and a line here.
 */
import { atomicityChecker } from './atomicity.js';
import type { CheckerDefinition } from './checker-definition.js';
import { convergenceChecker } from './convergence.js';
import { crashConsistencyChecker } from './crash-consistency.js';
import { durabilityChecker } from './durability.js';
import { invariantsChecker } from './invariants.js';
import { linearizabilityChecker } from './linearizability/run-check.js';
import { livenessChecker } from './liveness.js';
import { sagaCompletionChecker } from './saga-completion.js';
import { mutualExclusionChecker } from './mutual-exclusion.js';
import { placementChecker } from './placement.js';
import { serializabilityChecker } from './serializability/run-check.js';
import { sessionGuaranteesChecker } from './session-guarantees.js';

export const CHECKERS: readonly CheckerDefinition[] = [
  durabilityChecker,
  linearizabilityChecker,
  livenessChecker,
  convergenceChecker,
  invariantsChecker,
  sessionGuaranteesChecker,
  crashConsistencyChecker,
  atomicityChecker,
  serializabilityChecker,
  sagaCompletionChecker,
  mutualExclusionChecker,
  placementChecker,
];
