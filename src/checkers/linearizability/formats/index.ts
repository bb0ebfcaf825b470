/**
 * History importers: text in one of the formats below, out `LinOp`s for the linearizability
 * search, or errors with line and column. None of them throws. See each file for its format.
 */
export { detectFormat, type HistoryFormat } from './detect-format.js';
export { parseEdnHistory } from './edn-history.js';
export { parseFaultlineHistory } from './faultline-json.js';
export { parseJepsenEtcd } from './jepsen-etcd.js';
export type {
  CasInput,
  CasOutput,
  KvLinInput,
  KvLinOutput,
} from './op-types.js';
export { PARSE_ERRORS_MAX, type ParseError, type ParseResult } from './parse-result.js';
export { parsePorcupineKv } from './porcupine-kv.js';
