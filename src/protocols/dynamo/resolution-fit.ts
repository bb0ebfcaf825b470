/**
 * Whether a scenario's resolution fits its workload. A kv-context client reads siblings and
 * writes back with their context, which only `siblings` and `lww-*` versions answer; a counter
 * or set client sends CRDT operations, which only `resolution: crdt` with the type that takes
 * them can apply. Each misfit names its field, the values allowed and a fix, as the crdt
 * protocol's type check does.
 */
import type { OptionsMisfit } from '../../core/protocol-definition.js';
import { didYouMean } from '../../options/suggest.js';
import { CRDT_TYPES, WORKLOAD_OF_TYPE } from './crdt-values.js';
import type { DynamoOptions } from './dynamo-config.js';
import { RESOLUTIONS } from './versions.js';

const VERSIONED = RESOLUTIONS.filter((r) => r !== 'crdt');

/** The type whose operations `workload` sends, or undefined for kv-context. */
const typeFor = (workload: string) => CRDT_TYPES.find((t) => WORKLOAD_OF_TYPE[t] === workload);

export function checkResolution(
  options: DynamoOptions,
  workload: { readonly name: string },
): OptionsMisfit | undefined {
  const want = typeFor(workload.name);
  const { resolution, crdtType } = options;
  if (want === undefined && resolution === 'crdt')
    return {
      path: ['resolution'],
      message: `resolution crdt does not fit the ${workload.name} workload, whose clients read siblings and write back with their context: expected one of ${VERSIONED.join(', ')}, or use workload: { type: counter } or { type: set } for crdt`,
    };
  if (want !== undefined && resolution !== 'crdt')
    return {
      path: ['resolution'],
      message: `resolution ${resolution} does not fit the ${workload.name} workload, whose clients send CRDT operations: expected crdt (with crdtType: ${want}), or use workload: { type: kv-context } for ${resolution}`,
    };
  if (want !== undefined && crdtType !== want)
    return {
      path: ['crdtType'],
      message: `crdtType ${crdtType ?? '(unset)'} does not fit the ${workload.name} workload: expected ${want}${crdtType === undefined ? '' : didYouMean(crdtType, [want])}, or use workload: { type: ${WORKLOAD_OF_TYPE[crdtType ?? want]} } for ${crdtType ?? want}`,
    };
  if (want === undefined && crdtType !== undefined)
    return {
      path: ['crdtType'],
      message: `crdtType is read only with resolution: crdt (resolution is ${resolution}): remove crdtType, or set resolution: crdt with a counter or set workload`,
    };
  return undefined;
}
