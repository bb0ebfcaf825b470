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
export type { ClientSpec, ResolvedWorkload, Scenario } from './scenario.js';
export { BUILTINS, extendRegistry, type Registry } from './registry.js';
export { buildWorldConfig, validateBugs, type BuildExtras } from './build-world-config.js';
export { scenarioJsonSchema, SCENARIO_SCHEMA_ID } from './json-schema.js';
export {
  isProtocolModulePath,
  scenarioSchemaFor,
  type ScenarioDocument,
} from './schema/scenario-schema.js';
