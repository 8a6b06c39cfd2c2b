import type { MapRef, SampleStmt, Statement } from "../lang/ast";
import type { Method, SamplerConfig, SourceConfig } from "./config";

function source(ref: MapRef): SourceConfig {
  switch (ref.kind) {
    case "map-name": return { kind: "map", by: "name", name: ref.name, span: ref.span };
    case "map-id": return { kind: "map", by: "id", id: ref.id, span: ref.span };
    case "map-pinned": return { kind: "map", by: "pinned", path: ref.path, span: ref.span };
  }
}

function method(s: SampleStmt): Method {
  const { percent, count } = s.size;
  if (s.weightedBy) {
    return percent ? { method: "priority", fraction: percent.fraction } : { method: "priority", k: count!.value };
  }
  return percent ? { method: "bernoulli", p: percent.fraction } : { method: "uniform", k: count!.value };
}

/** compile: a checked statement as its sampler configuration. */
export function compile(stmt: Statement): SamplerConfig {
  switch (stmt.kind) {
    case "sample":
      return {
        statement: "sample",
        source: source(stmt.source),
        sampler: method(stmt),
        weight: stmt.weightedBy ? { field: stmt.weightedBy.path, span: stmt.weightedBy.span } : null,
        seed: stmt.seed ? stmt.seed.value : null,
      };
    case "trace": return { statement: "trace", probe: stmt.probe.name, span: stmt.probe.span };
    case "stop": return { statement: "stop", probe: stmt.probe ? stmt.probe.name : null };
    case "wait": return { statement: "wait", ms: stmt.duration.ms };
    case "show": return { statement: "show", what: stmt.what };
  }
}
