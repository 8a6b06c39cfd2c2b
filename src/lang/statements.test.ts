import { describe, expect, test } from "bun:test";
import type { Statement } from "./ast";
import { parseProgram } from "./parse";
import { spanAt } from "./testing/span-at";

const at = (column: number, endColumn: number) => spanAt(1, column, endColumn);

/** only: the one statement of a text that must parse cleanly. */
function only(text: string): Statement {
  const result = parseProgram(text);
  expect(result.diagnostics).toEqual([]);
  expect(result.statements).toHaveLength(1);
  return result.statements[0]!;
}

/** bare: a node with every span left out, expressions as `f:path` / `n:text` for short. */
function bare(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(bare);
  if (typeof node !== "object" || node === null) return node;
  const n = node as Record<string, unknown>;
  if (n.kind === "field") return `f:${(n.path as string[]).join(".")}`;
  if (n.kind === "number") return `n:${n.text as string}`;
  if (n.kind === "identifier") return `id:${n.name as string}`;
  return Object.fromEntries(
    Object.entries(n)
      .filter(([k]) => k !== "span")
      .map(([k, v]) => [k, bare(v)]),
  );
}

const shape = (text: string): unknown => bare(only(text));


describe("show", () => {
  test("with where, order by and limit", () => {
    expect(shape('show maps where type == "hash" order by entries desc, name limit 5')).toEqual({
      kind: "show",
      what: "maps",
      where: {
        kind: "binary",
        op: "==",
        left: "f:type",
        right: { kind: "string", value: "hash" },
      },
      orderBy: [
        { kind: "order-key", expr: "f:entries", descending: true },
        { kind: "order-key", expr: "f:name", descending: false },
      ],
      limit: "n:5",
    });
    expect(shape("show programs")).toEqual({ kind: "show", what: "programs" });
    expect(shape("show probes limit 1")).toEqual({ kind: "show", what: "probes", limit: "n:1" });
  });
});

describe("describe", () => {
  test("map SOURCE, a bare name, a file", () => {
    expect(only("describe map events")).toEqual({
      kind: "describe",
      span: at(1, 19),
      source: { kind: "map-name", span: at(14, 19), name: "events" },
    });
    expect(shape("describe events")).toEqual({
      kind: "describe",
      source: { kind: "map-name", name: "events" },
    });
    expect(only('describe file "x.json"')).toEqual({
      kind: "describe",
      span: at(1, 22),
      source: { kind: "file", span: at(15, 22), path: "x.json" },
    });
    expect(shape("describe map id 7")).toEqual({
      kind: "describe",
      source: { kind: "map-id", id: 7 },
    });
  });
});

describe("trace, stop, wait", () => {
  test("trace with sample and where, in either order", () => {
    const expected = {
      kind: "trace",
      probe: "id:syscalls",
      sample: { kind: "percent", fraction: 0.01, text: "1%" },
      where: { kind: "binary", op: "==", left: "f:pid", right: "n:1234" },
    };
    expect(shape("trace syscalls sample 1% where pid == 1234")).toEqual(expected);
    expect(shape("trace syscalls where pid == 1234 sample 1%")).toEqual(expected);
    expect(only("trace syscalls sample 1%")).toMatchObject({
      sample: { span: at(23, 24) },
    });
  });

  test("stop NAME, stop all, wait", () => {
    expect(shape("stop syscalls")).toEqual({ kind: "stop", probe: "id:syscalls" });
    expect(shape("stop all")).toEqual({ kind: "stop" });
    expect(only("wait 2s")).toEqual({
      kind: "wait",
      span: at(1, 7),
      duration: { kind: "duration", span: at(6, 7), ms: 2000, text: "2s" },
    });
  });
});

describe("sample", () => {
  test("every clause, after the source in any order", () => {
    const expected = {
      kind: "sample",
      size: { kind: "size", count: "n:20" },
      per: "f:comm",
      source: { kind: "map-name", name: "events" },
      weightedBy: { kind: "binary", op: "*", left: "n:100", right: "f:qps" },
      where: {
        kind: "binary",
        op: "!=",
        left: "f:comm",
        right: { kind: "string", value: "gms" },
      },
      seed: "n:7",
      to: { kind: "to", path: { kind: "string", value: "out.csv" } },
    };
    expect(
      shape(
        'sample 20 per comm from map events weighted by 100 * qps where comm != "gms" seed 7 to "out.csv"',
      ),
    ).toEqual(expected);
    expect(
      shape(
        'sample 20 per comm from map events to "out.csv" seed 7 where comm != "gms" weighted by 100 * qps',
      ),
    ).toEqual(expected);
  });

  test("spans of the size, the per field and the destination", () => {
    expect(only('sample 5 per comm from events to "x"')).toMatchObject({
      span: at(1, 36),
      size: { span: at(8, 8) },
      per: { span: at(14, 17) },
      to: { span: at(31, 36), path: { span: at(34, 36) } },
    });
  });

  test("from a file", () => {
    expect(shape('sample 1% from file "dump.json"')).toMatchObject({
      source: { kind: "file", path: "dump.json" },
    });
  });
});

describe("plain query", () => {
  test("from SOURCE with where, order by, limit and to", () => {
    expect(shape('from map events where qps > 100 order by qps desc limit 10 to "o.json"')).toEqual({
      kind: "query",
      source: { kind: "map-name", name: "events" },
      where: { kind: "binary", op: ">", left: "f:qps", right: "n:100" },
      orderBy: [{ kind: "order-key", expr: "f:qps", descending: true }],
      limit: "n:10",
      to: { kind: "to", path: { kind: "string", value: "o.json" } },
    });
    expect(shape("from events")).toEqual({
      kind: "query",
      source: { kind: "map-name", name: "events" },
    });
  });

  test("select with aliases", () => {
    expect(shape("select comm, errors / calls as err_rate from map events order by err_rate asc")).toEqual({
      kind: "query",
      select: [
        { kind: "projection", expr: "f:comm" },
        {
          kind: "projection",
          expr: { kind: "binary", op: "/", left: "f:errors", right: "f:calls" },
          alias: "id:err_rate",
        },
      ],
      source: { kind: "map-name", name: "events" },
      orderBy: [{ kind: "order-key", expr: "f:err_rate", descending: false }],
    });
    expect(only("select a as b from e")).toMatchObject({
      select: [{ span: at(8, 13), alias: { span: at(13, 13) } }],
    });
  });
});

describe("estimate", () => {
  test("aggregates, where, using sample and the sample's clauses", () => {
    expect(
      shape(
        'estimate sum(qps), count() as n, avg(lat) from map events where comm == "nginx" using sample 1% weighted by qps seed 3 to "e.csv"',
      ),
    ).toEqual({
      kind: "estimate",
      aggregates: [
        { kind: "aggregate", fn: "sum", arg: "f:qps" },
        { kind: "aggregate", fn: "count", alias: "id:n" },
        { kind: "aggregate", fn: "avg", arg: "f:lat" },
      ],
      source: { kind: "map-name", name: "events" },
      where: {
        kind: "binary",
        op: "==",
        left: "f:comm",
        right: { kind: "string", value: "nginx" },
      },
      using: { kind: "size", percent: { kind: "percent", fraction: 0.01, text: "1%" } },
      weightedBy: "f:qps",
      seed: "n:3",
      to: { kind: "to", path: { kind: "string", value: "e.csv" } },
    });
  });

  test("spans of an aggregate and of the sample size", () => {
    expect(only("estimate count() as n from e using sample 100")).toMatchObject({
      aggregates: [{ span: at(10, 21), alias: { span: at(21, 21) } }],
      using: { span: at(43, 45), count: { value: 100 } },
    });
  });
});

describe("explain, let, set, watch", () => {
  test("explain wraps any statement", () => {
    expect(only("explain sample 1% from map events weighted by qps")).toMatchObject({
      kind: "explain",
      span: at(1, 49),
      statement: { kind: "sample", span: at(9, 49), weightedBy: { path: ["qps"] } },
    });
    expect(shape("explain show maps")).toEqual({
      kind: "explain",
      statement: { kind: "show", what: "maps" },
    });
  });

  test("let", () => {
    expect(only("let slow = 500ms")).toEqual({
      kind: "let",
      span: at(1, 16),
      name: { kind: "identifier", span: at(5, 8), name: "slow" },
      value: { kind: "duration", span: at(12, 16), ms: 500, text: "500ms" },
    });
  });

  test("set format and set seed", () => {
    expect(only("set format json")).toEqual({
      kind: "set",
      span: at(1, 15),
      option: "format",
      format: { kind: "identifier", span: at(12, 15), name: "json" },
    });
    expect(shape("set seed 42")).toEqual({ kind: "set", option: "seed", seed: "n:42" });
  });

  test("watch over each kind of query", () => {
    expect(only("watch every 1s sample 10 from map events weighted by qps")).toMatchObject({
      kind: "watch",
      span: at(1, 56),
      every: { kind: "duration", span: at(13, 14), ms: 1000 },
      query: { kind: "sample", span: at(16, 56) },
    });
    expect(shape("watch every 2s from e limit 1")).toMatchObject({ query: { kind: "query" } });
    expect(shape("watch every 2s estimate count() from e using sample 1%")).toMatchObject({
      query: { kind: "estimate" },
    });
    expect(shape("watch every 2s show maps")).toMatchObject({ query: { kind: "show" } });
  });
});

describe("sources", () => {
  test("a name with or without map, an id, a pinned path, a quoted name, a file", () => {
    const source = (text: string) => (bare(only(`from ${text}`)) as { source: unknown }).source;
    expect(source("events")).toEqual({ kind: "map-name", name: "events" });
    expect(source("map events")).toEqual({ kind: "map-name", name: "events" });
    expect(source("map id 42")).toEqual({ kind: "map-id", id: 42 });
    expect(source("map id 0x2a")).toEqual({ kind: "map-id", id: 42 });
    expect(source('map "/sys/fs/bpf/foo"')).toEqual({ kind: "map-pinned", path: "/sys/fs/bpf/foo" });
    expect(source('map "syscalls.bss"')).toEqual({ kind: "map-name", name: "syscalls.bss" });
    expect(source('file "dump.json"')).toEqual({ kind: "file", path: "dump.json" });
    expect(source("probes")).toEqual({ kind: "map-name", name: "probes" });
  });
});
