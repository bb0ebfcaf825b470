/**
 * The scenario layer's public API: read a scenario file's text into a `Scenario` (or located
 * errors), build a `WorldConfig` from it for a seed, and produce the JSON Schema editors use.
 */
export {
  parseScenario,
  scenarioContentHash,
  type ParseScenarioResult,
  type ParseScenarioOptions,
} from './parse-scenario.js';
export { formatScenarioError, type ScenarioError } from './scenario-error.js';
export { SCENARIO_BYTES_MAX, SCENARIO_NESTING_MAX } from './scenario-text.js';
export { SCENARIO_NAME_MAX, safeScenarioName } from './scenario-name.js';
export type { Scenario } from './scenario.js';
export { BUILTINS, extendRegistry, type Registry } from './registry.js';
export { buildWorldConfig, validateBugs } from './build-world-config.js';
export { scenarioJsonSchema } from './json-schema.js';
export { isProtocolModulePath } from './schema/scenario-schema.js';
