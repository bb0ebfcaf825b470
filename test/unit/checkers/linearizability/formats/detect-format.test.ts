import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../../../src/checkers/linearizability/formats/index.js';

describe('detectFormat: by content, the file name only for an empty file or EDN that names no function', () => {
  const cases: [string, string, string, ReturnType<typeof detectFormat>][] = [
    [
      'a Jepsen etcd log',
      'INFO  jepsen.util - 0\t:invoke\t:read\tnil\n',
      'etcd_000.log',
      'jepsen-etcd',
    ],
    [
      'a Jepsen etcd log padded with spaces, after blank lines',
      '\n\nINFO  jepsen.util - 1   :invoke :write  3\n',
      'x.txt',
      'jepsen-etcd',
    ],
    [
      'a Jepsen log whose operations come after other lines',
      'INFO  jepsen.core - Running\nINFO  jepsen.util - 0 :invoke :read nil\n',
      'jepsen.log',
      'jepsen-etcd',
    ],
    [
      "faultline's history.json",
      '{\n  "operations": [],\n  "schemaVersion": 1\n}\n',
      'history.json',
      'json',
    ],
    [
      'compact JSON with a byte-order mark',
      '\uFEFF{"schemaVersion":1,"operations":[]}',
      'h',
      'json',
    ],
    [
      'Porcupine kv',
      '{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}\n',
      'c01-ok.txt',
      'porcupine-kv',
    ],
    [
      'a Jepsen register history.edn',
      '{:type :invoke, :f :read, :value nil, :process 0, :time 1, :index 0}\n',
      'history.edn',
      'edn',
    ],
    [
      'a Knossos vector, the first entry a nemesis',
      '[\n {:process :nemesis, :type :info, :f :start}\n {:process 0, :type :invoke, :f :cas, :value [1 2]}]\n',
      'h.edn',
      'edn',
    ],
    [
      'tagged Jepsen records',
      '#jepsen.history.Op{:process 0, :type :invoke, :f :get, :key "k", :value nil}\n',
      'h.edn',
      'porcupine-kv',
    ],
    [
      'EDN that names no known function, named .edn',
      '{:process 0, :type :invoke, :f :enqueue, :value 1}\n',
      'h.edn',
      'edn',
    ],
    ['an empty .log', '', 'etcd_095.log', 'jepsen-etcd'],
    ['an empty .json', '  \n', 'history.json', 'json'],
    ['an empty file of no known extension', '', 'history', undefined],
    ['YAML', 'name: showcase\nseeds: 1..10\n', 'showcase.yaml', undefined],
    ['prose', 'hello world\n', 'notes.txt', undefined],
  ];
  for (const [name, text, file, expected] of cases) {
    it(name, () => expect(detectFormat(text, file)).toBe(expected));
  }
});

describe('detectFormat: Knossos histories', () => {
  it('a history wrapped in a list is EDN', () => {
    expect(detectFormat('({:type :invoke, :f :write, :value 0, :process 0}\n', 'h.edn')).toBe(
      'edn',
    );
  });
});
