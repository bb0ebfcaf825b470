/**
 * How a lesson's variant changes its base scenario: JSON Merge Patch (RFC 7396). A mapping in
 * the variant merges into the base's mapping key by key, recursively; anything else (a number,
 * a string, a list) replaces what the base had; `null` removes the field, so a variant running
 * another protocol can drop the base's `options` or `checkers` instead of inheriting them.
 * Lists replace rather than merge because a list's items have no names to merge by.
 */

type Json = unknown;

const isMapping = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function mergePatch(base: Json, patch: Json): Json {
  if (!isMapping(patch)) return patch;
  const out: Record<string, Json> = isMapping(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}
