import { describe, expect, test } from "bun:test";
import Table from "cli-table3";
import { Chalk, type ChalkInstance } from "chalk";
import { renderCsv } from "./csv";
import { renderJson } from "./json";
import type { Cell, ResultSet } from "./result-set";
import { formatCell, metaLine, renderTable } from "./table";
import { formatBytes, formatDuration, groupDigits } from "./units";

const plainChalk = new Chalk({ level: 0 });
const colorChalk = new Chalk({ level: 1 });
const U64_MAX = 18446744073709551615n;

/** rs: a result set; a column is numeric when its name is in `numeric`. */
function rs(names: string[], rows: Cell[][], numeric: string[] = []): ResultSet {
  return { columns: names.map((name) => ({ name, numeric: numeric.includes(name) })), rows, meta: { scanned: 1000, method: "uniform k=4" } };
}

/** reference: the table as plain cli-table3 lays it out itself, from the same cell texts and options. */
function reference(set: ResultSet, chalk: ChalkInstance): string {
  const t = new Table({
    head: set.columns.map((c) => chalk.bold(c.name)),
    colAligns: set.columns.map((c) => (c.numeric ? "right" : "left")),
    style: { head: [], border: [] },
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  });
  t.push(...set.rows.map((r) => r.map((v, i) => formatCell(v, set.columns[i]!.name))));
  return `${t.toString()}\n${chalk.dim(metaLine(set.rows.length, set.meta))}`;
}

/** tableLines: the lines of a rendered table without its meta line. */
function tableLines(text: string): string[] {
  return text.split("\n").slice(0, -1);
}

const SHAPES: Record<string, ResultSet> = {
  numbers: rs(
    ["pid", "count", "total_ns", "rss_bytes", "ratio", "prob", "big"],
    [
      [1, 0, 0, 0, 0.25, 1, 0n],
      [4242, 1234567, 1234567, 1536 * 1024, -2.5, 0.012345, U64_MAX],
      [99999, -98765, 999, 1023, 1 / 3, 1e-7, -9223372036854775808n],
      [null, NaN, Infinity, -Infinity, 1234.5678, null, 42n],
    ],
    ["pid", "count", "total_ns", "rss_bytes", "ratio", "prob", "big"],
  ),
  strings: rs(
    ["comm", "state", "ok", "stack", "note"],
    [
      ["nginx", "R", true, [1, 2, 3], null],
      ["", "sleeping", false, { max: U64_MAX, min: 0 }, "a\nb\tc\x1b[31mred"],
      ["systemd-journal", "D", null, [], "x"],
    ],
  ),
  empty: rs(["comm", "qps"], [], ["qps"]),
  unicode: rs(
    ["name", "n"],
    [
      ["数据库", 1],
      ["café crème", 22],
      ["e\u0301t\u00e9", 333],
      ["🙂 👍🏽 🇩🇪", 4444],
      ["Ωμέγα Привет 한국어", 55555],
      ["ｆｕｌｌ", 6],
    ],
    ["n"],
  ),
  long: rs(
    ["path", "bytes_total", "note"],
    [
      ["/".repeat(1) + "usr/lib/x86_64-linux-gnu/".repeat(8) + "libc.so.6", 123456789012, "z".repeat(250)],
      ["short", 1, ""],
    ],
    ["bytes_total"],
  ),
  // Whole numbers at every digit count, both signs, and the edges of 2^53, beyond which they
  // are grouped from their digits rather than by arithmetic.
  integers: rs(
    ["n", "id", "note"],
    [0, -0, 7, -7, 10, 99, 100, -999, 1000, 1001, -1000, 99999, 100000, 123456789, 2 ** 31, -(2 ** 31), 2 ** 32 + 5, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, -(2 ** 53), 1e21, 0.5].map(
      (v, i) => [v, v, i % 3 ? v : `t${i}`],
    ),
    ["n", "id"],
  ),
  many: rs(
    ["comm", "pid", "qps"],
    Array.from({ length: 250 }, (_, i) => [`worker-${i % 17}`, 1000 + i, i * i * 37]),
    ["pid", "qps"],
  ),
};

describe("renderTable looks exactly as cli-table3 draws it", () => {
  for (const [name, set] of Object.entries(SHAPES)) {
    test(name, () => {
      for (const chalk of [plainChalk, colorChalk]) {
        const expected = reference(set, chalk);
        expect(renderTable(set, chalk)).toBe(expected);
        expect(renderTable(set, chalk, {})).toBe(expected);
      }
    });
  }

  test("a table narrower than the width is left as it is", () => {
    for (const set of Object.values(SHAPES)) {
      const natural = tableLines(renderTable(set, plainChalk));
      const widest = Math.max(...natural.map((l) => Bun.stringWidth(l)));
      expect(renderTable(set, plainChalk, { width: widest })).toBe(renderTable(set, plainChalk));
    }
  });

  test("no columns: just the meta line", () => {
    expect(renderTable(rs([], []), plainChalk)).toBe("0 rows of 1000 entries · uniform k=4");
  });
});

describe("formatCell", () => {
  test("integers get thousands separators, identifiers do not", () => {
    expect(formatCell(1234567, "count")).toBe("1,234,567");
    expect(formatCell(999, "count")).toBe("999");
    expect(formatCell(1000, "count")).toBe("1,000");
    expect(formatCell(-1234, "delta")).toBe("-1,234");
    expect(formatCell(U64_MAX, "value.calls")).toBe("18,446,744,073,709,551,615");
    expect(formatCell(-9223372036854775808n, "x")).toBe("-9,223,372,036,854,775,808");
    expect(formatCell(1e21, "x")).toBe("1e+21");
    // Integers below 2^53 are grouped by arithmetic, larger ones from their digits: both agree.
    for (const v of [-0, 1, -999, -1000, 1001, 100_000, 999_999, 1_000_000, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 9.99e20, -123_456_789_012]) {
      expect(formatCell(v, "count")).toBe(groupDigits(String(v)));
    }
    for (const name of ["pid", "key.pid", "tgid", "cpu", "sport", "cgroup_id", "map_id", "seed"]) {
      expect(formatCell(1234567, name)).toBe("1234567");
    }
  });

  test("fractions: six significant digits, whole from 100,000 on", () => {
    expect(formatCell(1 / 3, "ratio")).toBe("0.333333");
    expect(formatCell(1234.5678, "estimate")).toBe("1,234.57");
    expect(formatCell(12345.678, "estimate")).toBe("12,345.7");
    expect(formatCell(1234567.89, "estimate")).toBe("1,234,568");
    expect(formatCell(-1234567.89, "estimate")).toBe("-1,234,568");
  });

  test("prob keeps four significant digits", () => {
    expect(formatCell(0.123456, "prob")).toBe("0.1235");
    expect(formatCell(1, "prob")).toBe("1");
    expect(formatCell(0.00001234567, "prob")).toBe("0.00001235");
  });

  test("durations where the name ends in _ns", () => {
    expect(formatCell(1234567, "total_ns")).toBe("1.23 ms");
    expect(formatCell(1234567n, "value.stats.total_ns")).toBe("1.23 ms");
    expect(formatCell(0, "total_ns")).toBe("0 ns");
    expect(formatCell(999, "total_ns")).toBe("999 ns");
    expect(formatCell(12.345, "avg_ns")).toBe("12.3 ns");
    expect(formatCell(1000, "total_ns")).toBe("1.00 us");
    expect(formatCell(999_700, "total_ns")).toBe("1.00 ms");
    expect(formatCell(12_345_678, "total_ns")).toBe("12.3 ms");
    expect(formatCell(123_456_789, "total_ns")).toBe("123 ms");
    expect(formatCell(12_345_678_901, "total_ns")).toBe("12.3 s");
    expect(formatCell(999_400_000_000, "total_ns")).toBe("999 s");
    expect(formatCell(999_600_000_000, "total_ns")).toBe("1,000 s");
    expect(formatCell(86_400_000_000_000n, "uptime_ns")).toBe("86,400 s");
    expect(formatCell(-1_500_000, "delta_ns")).toBe("-1.50 ms");
    expect(formatCell("n/a", "total_ns")).toBe("n/a");
    expect(formatCell(null, "total_ns")).toBe("null");
  });

  test("sizes where the name ends in _bytes or is memory", () => {
    expect(formatCell(512, "rx_bytes")).toBe("512 B");
    expect(formatCell(1000, "rx_bytes")).toBe("0.98 KiB");
    expect(formatCell(1024, "rx_bytes")).toBe("1.00 KiB");
    expect(formatCell(1536 * 1024, "rx_bytes")).toBe("1.50 MiB");
    expect(formatCell(123 * 1024 * 1024, "rx_bytes")).toBe("123 MiB");
    expect(formatCell(5n * 1024n ** 3n, "memory")).toBe("5.00 GiB");
    expect(formatCell(5 * 1024 ** 3, "value.memory")).toBe("5.00 GiB");
    expect(formatCell(U64_MAX, "rx_bytes")).toBe("16.0 EiB");
    expect(formatCell(1234567, "bytes")).toBe("1,234,567"); // only *_bytes and memory
  });

  test("control characters are shown escaped", () => {
    expect(formatCell("a\nb\tc\r", "comm")).toBe("a\\nb\\tc\\r");
    expect(formatCell("\x1b[31mred\x7f\u009b", "comm")).toBe("\\x1b[31mred\\x7f\\x9b");
    expect(formatCell({ s: "a\nb" }, "v")).toBe('{"s":"a\\nb"}');
  });

  test("units helpers", () => {
    expect(groupDigits("12")).toBe("12");
    expect(groupDigits("123456")).toBe("123,456");
    expect(groupDigits("-1234567")).toBe("-1,234,567");
    expect(formatDuration(NaN)).toBe("null");
    expect(formatBytes(-2048)).toBe("-2.00 KiB");
  });
});

describe("fitting the terminal", () => {
  const wide = rs(
    ["comm", "pid", "calls", "total_ns", "path", "args"],
    Array.from({ length: 40 }, (_, i) => [
      `proc-${i}-${"x".repeat(i % 9)}`,
      100000 + i,
      i * 98765,
      i * 1234567,
      `/usr/lib/very/long/path/to/some/library/number/${i}/with/more/parts.so`,
      i % 2 ? "数据库 café 🙂 ".repeat(4) : "--flag=" + "v".repeat(60),
    ]),
    ["pid", "calls", "total_ns"],
  );
  wide.meta = { scanned: 40 };

  for (const width of [300, 60]) {
    test(`every line fits in ${width} columns, numbers whole`, () => {
      for (const chalk of [plainChalk, colorChalk]) {
        const text = renderTable(wide, chalk, { width });
        const lines = text.split("\n");
        for (const line of lines) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(width);
        // A table still: every line of it as wide as the top border.
        const table = tableLines(text);
        expect(new Set(table.map((l) => Bun.stringWidth(l))).size).toBe(1);
        for (const row of wide.rows) {
          for (const i of [1, 2, 3]) expect(text).toContain(` ${formatCell(row[i]!, wide.columns[i]!.name)} │`);
        }
        // The headers of numeric columns stay the field names.
        for (const name of ["pid", "calls", "total_ns"]) expect(Bun.stripANSI(table[1]!)).toContain(name);
      }
    });
  }

  test("300 columns: nothing cut; 60 columns: long text cut with an ellipsis", () => {
    const roomy = renderTable(wide, plainChalk, { width: 300 });
    expect(roomy).toBe(renderTable(wide, plainChalk));
    expect(roomy).not.toContain("…");
    const narrow = tableLines(renderTable(wide, plainChalk, { width: 60 }));
    const body = narrow.slice(2, -1);
    expect(body.length).toBe(40);
    expect(body.every((l) => l.includes("…"))).toBe(true);
    // Headers of text columns are kept whole while a few characters of each value fit.
    for (const name of ["comm", "path", "args"]) expect(narrow[1]).toContain(` ${name} `);
  });

  test("truncation: cut to the column with an ellipsis, never inside a character", () => {
    const set = rs(["s", "n"], [["abcdefghijklmnopqrstuvwxyz", 1], ["数据库数据库数据库数据库", 2], ["🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂", 3]], ["n"]);
    const lines = tableLines(renderTable(set, plainChalk, { width: 20 }));
    for (const l of lines) expect(Bun.stringWidth(l)).toBe(20);
    expect(lines[2]).toBe("│ abcdefghijk… │ 1 │");
    // Wide characters that do not fit leave a blank before the padding.
    expect(lines[3]).toBe("│ 数据库数据…  │ 2 │");
    expect(lines[4]).toBe("│ 🙂🙂🙂🙂🙂…  │ 3 │");
    expect(lines.join("\n")).not.toContain("\ufffd");
  });

  test("the widest text column is cut first", () => {
    const set = rs(["a", "b", "n"], [["x".repeat(10), "y".repeat(40), 7]], ["n"]);
    const lines = tableLines(renderTable(set, plainChalk, { width: 40 }));
    expect(lines[2]).toBe(`│ ${"x".repeat(10)} │ ${"y".repeat(18)}… │ 7 │`);
  });

  test("numbers are never cut, even when they alone are too wide", () => {
    const set = rs(["comm", "calls", "total_ns"], [["nginx-worker-process", 123456789012345, 987654321]], ["calls", "total_ns"]);
    const text = renderTable(set, plainChalk, { width: 20 });
    expect(text).toContain(" 123,456,789,012,345 │");
    expect(text).toContain(" 988 ms │");
    // Text gives up all it can: a lone ellipsis.
    expect(tableLines(text)[2]!.startsWith("│ … │")).toBe(true);
  });

  test("numbers in a text column are kept whole too", () => {
    const set = rs(["v", "w"], [[123456789, "w".repeat(50)], ["some long text here", "w"]]);
    const text = renderTable(set, plainChalk, { width: 30 });
    expect(text).toContain("123,456,789");
    for (const l of tableLines(text)) expect(Bun.stringWidth(l)).toBeLessThanOrEqual(30);
  });
});

test("json and csv keep exact values (no separators, no units)", () => {
  const set = rs(["total_ns", "rx_bytes", "count"], [[1234567, 2048, 1234567]], ["total_ns", "rx_bytes", "count"]);
  expect(renderCsv(set)).toBe("total_ns,rx_bytes,count\r\n1234567,2048,1234567");
  expect(renderJson(set)).not.toContain("1,234,567");
  expect(renderJson(set)).not.toContain("ms");
});

test("100,000 rows x 8 columns render in linear time (a runaway guard)", () => {
  const rows: Cell[][] = [];
  for (let i = 0; i < 100_000; i++) {
    rows.push([`proc${i}`, i * 1234567, i % 70000, "x".repeat(i % 20), 1 / (i + 1), BigInt(i) * 1_000_000_000n, i & 1 ? true : null, i * 4096]);
  }
  const set = rs(["comm", "total_ns", "pid", "s", "prob", "calls", "ok", "rss_bytes"], rows, ["total_ns", "pid", "prob", "calls", "rss_bytes"]);
  for (const width of [undefined, 80]) {
    const started = performance.now();
    const text = renderTable(set, plainChalk, { width });
    const ms = performance.now() - started;
    expect(text.split("\n").length).toBe(100_000 + 4);
    expect(ms).toBeLessThan(4000);
  }
});

describe("a sampled table's footer of estimated totals", () => {
  const meta = (estTotals: NonNullable<ResultSet["meta"]["estTotals"]>) => metaLine(3, { scanned: 10, method: "bernoulli p=0.3", estTotals });

  test("each amount column's total with one standard error, in the column's units", () => {
    const text = meta([
      { column: "calls", estimate: 1234567.4, se: 5432.1, exact: false },
      { column: "total_ns", estimate: 2.5e9, se: 3e7, exact: false },
      { column: "pid", estimate: 99999, se: 1, exact: false },
    ]);
    const [line, totals] = text.split("\n");
    expect(line).toBe("3 rows of 10 entries · bernoulli p=0.3");
    // pid is an identifier: a total of process ids means nothing, so it is not shown.
    expect(totals).toBe("est. totals (Horvitz-Thompson, ± 1 standard error): calls 1,234,567 ± 5,430 · total_ns 2.50 s ± 30.0 ms");
  });

  test("exact totals when the sample is the whole population; none when nothing is worth a total", () => {
    expect(meta([{ column: "calls", estimate: 42, se: 0, exact: true }]).split("\n")[1]).toBe("totals (the sample is the whole population): calls 42");
    expect(meta([{ column: "pid", estimate: 42, se: 0, exact: true }])).toBe("3 rows of 10 entries · bernoulli p=0.3");
    expect(meta([])).toBe("3 rows of 10 entries · bernoulli p=0.3");
  });
});

test("a column ending in _pct shows a percentage to three significant digits", () => {
  expect(formatCell(28.3, "cpu_pct")).toBe("28.3%");
  expect(formatCell(0.012345, "cpu_pct")).toBe("0.0123%");
  expect(formatCell(100, "cpu_pct")).toBe("100%");
});
