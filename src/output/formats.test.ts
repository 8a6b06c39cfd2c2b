import { describe, expect, test } from "bun:test";
import { csvField, renderCsv } from "./csv";
import { renderJson, renderNdjson } from "./json";
import type { Cell, ResultSet } from "./result-set";

/**
 * parseCsv: a small RFC 4180 reader for the tests: records split by CRLF, fields by commas,
 * quoted fields may hold anything with quotes doubled. An unquoted empty field is null, a quoted
 * one the empty string. Throws on malformed text.
 */
function parseCsv(text: string): (string | null)[][] {
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let i = 0;
  for (;;) {
    let field: string | null;
    if (text[i] === '"') {
      let value = "";
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error("unterminated quoted field");
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      field = value;
    } else {
      let end = i;
      while (end < text.length && text[end] !== "," && text[end] !== "\r" && text[end] !== "\n") {
        if (text[end] === '"') throw new Error(`a quote inside an unquoted field at ${end}`);
        end++;
      }
      field = end === i ? null : text.slice(i, end);
      i = end;
    }
    record.push(field);
    if (i >= text.length) {
      records.push(record);
      return records;
    }
    if (text[i] === ",") {
      i++;
    } else if (text.startsWith("\r\n", i)) {
      records.push(record);
      record = [];
      i += 2;
    } else {
      throw new Error(`bad character ${JSON.stringify(text[i])} at ${i}`);
    }
  }
}

const U64_MAX = 18446744073709551615n;

const RS: ResultSet = {
  columns: [
    { name: "comm", numeric: false },
    { name: "pid", numeric: true },
    { name: "bytes", numeric: true },
    { name: "ratio", numeric: true },
    { name: "ok", numeric: false },
    { name: "stack", numeric: false },
    { name: "note", numeric: false },
  ],
  rows: [
    ["nginx", 1234, U64_MAX, 0.25, true, [1, 2, 3], null],
    ['say "hi", bye', -7, 9007199254740993n, 1e-7, false, { max: U64_MAX, min: 0 }, ""],
    ["line\r\nbreak", 0, 0, 1 / 3, null, [], "a\nb"],
    ["", null, -9223372036854775808n, -2.5, true, { nested: { deep: ["x,y"] } }, "tab\there"],
  ],
  meta: { scanned: 1000, method: "uniform k=4", seed: 7 },
};

/** expected: a cell as it reads back from JSON (bigints become strings). */
function fromJson(v: Cell): unknown {
  return JSON.parse(JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x)));
}

describe("json", () => {
  test("rows become objects keyed by column name, and nothing else", () => {
    const parsed = JSON.parse(renderJson(RS)) as Record<string, unknown>[];
    expect(parsed).toHaveLength(RS.rows.length);
    expect(Object.keys(parsed[0]!)).toEqual(RS.columns.map((c) => c.name));
    expect(parsed[0]).toEqual({
      comm: "nginx",
      pid: 1234,
      bytes: "18446744073709551615",
      ratio: 0.25,
      ok: true,
      stack: [1, 2, 3],
      note: null,
    });
    expect(parsed[1]!.stack).toEqual({ max: "18446744073709551615", min: 0 });
    expect(renderJson(RS)).not.toContain("scanned");
  });

  test("u64 values are exact strings", () => {
    const text = renderJson(RS);
    expect(text).toContain('"bytes":"18446744073709551615"');
    expect(text).toContain('"bytes":"9007199254740993"');
    expect(text).toContain('"bytes":"-9223372036854775808"');
  });

  test("one row per line; an empty result is []", () => {
    const lines = renderJson(RS).split("\n");
    expect(lines[0]).toBe("[");
    expect(lines.at(-1)).toBe("]");
    expect(lines).toHaveLength(RS.rows.length + 2);
    expect(renderJson({ ...RS, rows: [] })).toBe("[]");
  });

  test("ndjson is one object per line", () => {
    const lines = renderNdjson(RS).split("\n");
    expect(lines).toHaveLength(RS.rows.length);
    expect(lines.map((l) => JSON.parse(l))).toEqual(JSON.parse(renderJson(RS)));
    expect(renderNdjson({ ...RS, rows: [] })).toBe("");
  });

  test("numbers that are not finite are null", () => {
    const rs: ResultSet = { columns: [{ name: "x", numeric: true }], rows: [[NaN], [Infinity]], meta: {} };
    expect(JSON.parse(renderJson(rs))).toEqual([{ x: null }, { x: null }]);
    expect(parseCsv(renderCsv(rs))).toEqual([["x"], [null], [null]]);
  });
});

describe("csv", () => {
  test("a header, then CRLF-separated records", () => {
    const text = renderCsv(RS);
    expect(text.startsWith("comm,pid,bytes,ratio,ok,stack,note\r\n")).toBe(true);
    expect(text.split("\r\n")[1]).toBe('nginx,1234,18446744073709551615,0.25,true,"[1,2,3]",');
    expect(text.endsWith("\r\n")).toBe(false);
  });

  test("quoting: comma, quote, CR, LF; quotes doubled; nothing else", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('"')).toBe('""""');
    expect(csvField("a\rb")).toBe('"a\rb"');
    expect(csvField("a\nb")).toBe('"a\nb"');
    expect(csvField("a\r\nb")).toBe('"a\r\nb"');
    expect(csvField(" spaced ")).toBe(" spaced ");
    expect(csvField("tab\there")).toBe("tab\there");
    expect(csvField("")).toBe('""');
    expect(csvField(null)).toBe("");
    expect(csvField(U64_MAX)).toBe("18446744073709551615");
    expect(csvField(-0.5)).toBe("-0.5");
    expect(csvField(false)).toBe("false");
    expect(csvField({ a: "x,y" })).toBe('"{""a"":""x,y""}"');
  });

  test("column names are quoted when they must be", () => {
    const rs: ResultSet = { columns: [{ name: "a,b", numeric: false }, { name: 'q"', numeric: false }], rows: [], meta: {} };
    expect(renderCsv(rs)).toBe('"a,b","q"""');
  });
});

describe("json and csv agree", () => {
  test("value for value", () => {
    const json = JSON.parse(renderJson(RS)) as Record<string, unknown>[];
    const csv = parseCsv(renderCsv(RS));
    expect(csv[0]).toEqual(RS.columns.map((c) => c.name));
    expect(csv).toHaveLength(RS.rows.length + 1);
    RS.rows.forEach((row, r) => {
      RS.columns.forEach((col, c) => {
        const v = row[c]!;
        const j = json[r]![col.name];
        const s = csv[r + 1]![c];
        expect(j).toEqual(fromJson(v));
        if (v === null) {
          expect(s).toBeNull();
        } else if (typeof v === "number") {
          expect(Number(s)).toBe(j as number);
        } else if (typeof v === "bigint") {
          expect(s).toBe(j as string);
          expect(BigInt(s!)).toBe(v);
        } else if (typeof v === "string") {
          expect(s).toBe(j as string);
        } else if (typeof v === "boolean") {
          expect(s).toBe(String(j));
        } else {
          expect(JSON.parse(s!)).toEqual(j);
        }
      });
    });
  });
});
