/**
 * Stable encoding: JSON with object keys sorted, so the same value always gives the same bytes
 * whatever order its properties were created in. Used for reports, history files and for hashing
 * values into the trace.
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString();
    return value;
  }
  if (Array.isArray(value)) return value.map(normalize);
  if (value instanceof Uint8Array) return Array.from(value);
  if (value instanceof Map)
    return [...value.entries()].map(([k, v]) => [normalize(k), normalize(v)]);
  if (value instanceof Set) return [...value].map(normalize);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = normalize(v);
  }
  return out;
}
