import type { EstimateConfig } from "../plan/config";
import type { Cell, ResultSet } from "../output/result-set";
import { estimateAvg, estimateCount, estimateSum, type Estimate } from "../sampling";
import type { Source } from "../sources/source";
import { compileExpr, toNumber, typeOf, type Row } from "./expr";
import { describeMethod, designOf, drawSample } from "./sample";
import { scopeOf } from "./scope";
import { diagnostic, DiagnosticError } from "../lang/diagnostic";
import { exprText } from "../plan/explain";

/**
 * runEstimate: `estimate AGG, ... using sample ...`: draws the sample, then gives each aggregate
 * its Horvitz-Thompson estimate, standard error and 95% interval (exact when the sample was the
 * whole population). Rows whose aggregated value is null are counted as 0 in sums and left out
 * of averages. Throws DiagnosticError, BpfError.
 */
export function runEstimate(source: Source, cfg: EstimateConfig, seed: number, started: number): ResultSet {
  const scope = scopeOf(source);
  const args = cfg.aggregates.map((a) => {
    if (!a.arg) return undefined;
    const t = typeOf(a.arg, scope);
    if (t !== "number" && t !== "any" && t !== "null") {
      throw new DiagnosticError([diagnostic(a.arg.span, `cannot ${a.fn} '${exprText(a.arg)}': it is a ${t}, not a number`)]);
    }
    return compileExpr(a.arg, scope);
  });
  // The aggregated values of rows left out for their weight are summed exactly (as BigInt), so
  // what the sample cannot see is still reported.
  const leftOut = cfg.aggregates.map(() => 0n);
  const leftOutFractions = cfg.aggregates.map(() => 0);
  let leftOutRows = 0;
  const onLeftOut = (row: Row) => {
    leftOutRows++;
    cfg.aggregates.forEach((a, i) => {
      const v = a.fn === "count" ? 1 : args[i]!(row);
      if (typeof v === "bigint") leftOut[i]! += v;
      else if (typeof v === "number" && Number.isInteger(v)) leftOut[i]! += BigInt(v);
      else if (typeof v === "number" && Number.isFinite(v)) leftOutFractions[i]! += v;
    });
  };
  const d = drawSample(source, { method: cfg.sampler, weight: cfg.weight, where: cfg.where, per: null, seed, onLeftOut });
  const m = cfg.sampler;
  const design = designOf(m, d);

  const rows: Cell[][] = cfg.aggregates.map((a, i) => {
    const f = args[i];
    let e: Estimate;
    if (a.fn === "count") e = estimateCount(d.kept, design);
    else {
      const items = d.kept.map((k) => ({ value: toNumber(f!(k.entry.cell)), prob: k.prob }));
      e = a.fn === "sum"
        ? estimateSum(items.map((x) => ({ ...x, value: Number.isNaN(x.value) ? 0 : x.value })), design)
        : estimateAvg(items.filter((x) => !Number.isNaN(x.value)), design);
    }
    const note = e.exact ? "exact" : e.lowConfidence ? "low confidence" : "";
    // An estimate with nothing to go on (the average of no rows) is null, not NaN.
    const n = (x: number) => (Number.isNaN(x) ? null : x);
    return [a.name, n(e.estimate), n(e.se), n(e.low), n(e.high), e.rows, note];
  });
  return {
    columns: [
      { name: "aggregate", numeric: false },
      { name: "estimate", numeric: true },
      { name: "std_error", numeric: true },
      { name: "ci95_low", numeric: true },
      { name: "ci95_high", numeric: true },
      { name: "rows", numeric: true },
      { name: "note", numeric: false },
    ],
    rows,
    meta: {
      scanned: d.stats.entries,
      method: describeMethod(m, cfg.weight, d, cfg.weight ? exprText(cfg.weight) : ""),
      seed,
      tau: d.tau,
      excluded: d.excluded || undefined,
      readMethod: d.stats.method,
      notes: [
        `${d.kept.length} sampled of ${d.matched} matching`,
        ...(leftOutRows
          ? [`${leftOutRows} rows left out for their weight hold ${cfg.aggregates.map((a, i) => `${a.name} = ${leftOutFractions[i] ? Number(leftOut[i]!) + leftOutFractions[i]! : leftOut[i]}`).join(", ")}`]
          : []),
        ...d.stats.notes,
      ],
      elapsedMs: performance.now() - started,
    },
  };
}
