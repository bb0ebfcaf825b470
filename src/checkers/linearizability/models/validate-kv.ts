/**
 * What the key/value models (`kv`, `kv-list`) accept: get(key), put(key, value) and
 * append(key, value) with string keys and values, a get returning a string, or for `kv-list`
 * also null (an absent key; Porcupine's `kv` has no absent keys, it starts every key at "").
 */
import { expectField, functionOf } from './validate.js';

const isString = (v: unknown) => typeof v === 'string';

export function validateKv(
  input: unknown,
  output: unknown,
  unknown: boolean,
  nullable: boolean,
): string | undefined {
  const f = functionOf(input, ['get', 'put', 'append', 'delete']);
  if ('error' in f) return f.error;
  const key = expectField(input, 'key', 'a string', isString);
  if (key !== undefined) return key;
  if (f.f === 'delete') return undefined;
  if (f.f !== 'get') return expectField(input, 'value', 'a string', isString);
  if (unknown) return undefined;
  const fits = typeof output === 'string' || (nullable && output === null);
  if (fits) return undefined;
  const what = nullable
    ? 'the string read, or null'
    : 'the string read (this model has no absent keys: kv-list does)';
  return `expected get to return ${what}, found ${output === null ? 'null' : JSON.stringify(output)}`;
}
