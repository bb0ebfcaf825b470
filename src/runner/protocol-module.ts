/**
 * Protocols named by path in a scenario (`protocol: ./gossip-kv.js`): the user's own code,
 * imported relative to the scenario file before the scenario is resolved. Its default export (or
 * an export named `protocol`) must be a ProtocolDefinition; `bugs`, `workloads` and `summary` may
 * be left out. Problems name the scenario file, line and column of the `protocol:` field.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { AnyProtocolDefinition } from '../core/protocol-definition.js';
import { isProtocolModulePath } from '../scenario/index.js';
import { EXIT, UserError } from './exit-codes.js';

export async function loadProtocolModules(
  text: string,
  file: string,
): Promise<Map<string, AnyProtocolDefinition>> {
  const modules = new Map<string, AnyProtocolDefinition>();
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, logLevel: 'silent' });
  const node =
    doc.errors.length === 0 && isNode(doc.contents) ? doc.get('protocol', true) : undefined;
  const value = isNode(node) ? (node.toJSON() as unknown) : undefined;
  if (typeof value !== 'string' || !isProtocolModulePath(value)) return modules;
  const pos = isNode(node) && node.range ? lc.linePos(node.range[0]) : { line: 1, col: 1 };
  const where = `${file}:${pos.line}:${pos.col} protocol`;
  const path = resolve(dirname(file), value);
  if (!existsSync(path)) throw new UserError(`${where}: no module at ${path}`, EXIT.dataError);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new UserError(
      `${where}: could not import ${value}: ${e instanceof Error ? e.message : String(e)}`,
      EXIT.dataError,
    );
  }
  const def = (mod.default ?? mod.protocol) as Partial<AnyProtocolDefinition> | undefined;
  if (
    typeof def !== 'object' ||
    def === null ||
    typeof def.name !== 'string' ||
    typeof def.create !== 'function'
  ) {
    throw new UserError(
      `${where}: ${value} must export (as default or as \`protocol\`) an object with a name and a create() function`,
      EXIT.dataError,
    );
  }
  modules.set(value, {
    summary: '',
    workloads: ['kv'],
    bugs: [],
    ...def,
  } as AnyProtocolDefinition);
  return modules;
}
