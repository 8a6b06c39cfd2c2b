import { describe, expect, test } from "bun:test";
import type { Plain, Value } from "../bpf/btf-decode";
import { escapeBytes } from "../bpf/btf-decode";
import { jsonValue } from "./json";
import { JsonOut, uint } from "./json-out";
import { rowEncoder, type PlainField } from "../sources/plain-json";
import { Xoshiro128 } from "../sampling/rng";

/** The decoded value of a plain column, as btf-decode's readers give it. */
function decode(p: Plain, bytes: Uint8Array, at: number): Value {
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  if (p.kind === "chars") return escapeBytes(bytes.subarray(at, at + p.length));
  const big = p.size === 8 ? (p.signed ? v.getBigInt64(at, true) : v.getBigUint64(at, true)) : undefined;
  if (big !== undefined) return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  if (p.size === 1) return p.signed ? v.getInt8(at) : v.getUint8(at);
  if (p.size === 2) return p.signed ? v.getInt16(at, true) : v.getUint16(at, true);
  return p.signed ? v.getInt32(at, true) : v.getUint32(at, true);
}

function text(write: (out: JsonOut) => void, size?: number): string {
  const chunks: Uint8Array[] = [];
  const out = new JsonOut((b) => chunks.push(b.slice()), size);
  write(out);
  out.flush();
  return Buffer.concat(chunks).toString();
}

describe("JsonOut", () => {
  test("uint writes the digits String() writes, at the edges and for 100,000 random values below 2^53", () => {
    const rng = Xoshiro128.fromSeed(3);
    const xs = [0, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 999_999_999, 1e9, 1e10 - 1, 1e15, 2 ** 53 - 1];
    for (let i = 0; i < 100_000; i++) xs.push(Math.floor(rng.nextDouble() * 2 ** (1 + (i % 53))));
    const buf = new Uint8Array(32);
    const wrong = xs.filter((x) => Buffer.from(buf.subarray(0, uint(buf, 0, x))).toString() !== String(x));
    expect(wrong).toEqual([]);
  });

  test("a row written from bytes is the JSON of its decoded cells, for every plain kind and 20,000 random rows", () => {
    const kinds: Plain[] = [
      ...([1, 2, 4, 8] as const).flatMap((size) => [true, false].map((signed): Plain => ({ kind: "int", size, signed }))),
      { kind: "chars", length: 6 },
    ];
    const fields: PlainField[] = [];
    let offset = 0;
    kinds.forEach((plain, i) => {
      fields.push({ name: i % 2 ? `f${i}` : `"odd\\name ${i}"`, part: i % 3 ? "value" : "key", offset, plain });
      offset += plain.kind === "chars" ? plain.length : plain.size;
    });
    const encode = rowEncoder(fields);
    const rng = Xoshiro128.fromSeed(9);
    const bytes = new Uint8Array(offset);
    const view = new DataView(bytes.buffer);
    let fastRows = 0;
    for (let r = 0; r < 20_000; r++) {
      // Bytes of all kinds: small and extreme integers, printable text, quotes, escapes, NULs.
      for (let i = 0; i < bytes.length; i++) {
        const pick = rng.below(8);
        bytes[i] = pick < 3 ? 0 : pick < 6 ? 0x20 + rng.below(95) : pick === 6 ? 0xff : rng.below(256);
      }
      const expected = `{${fields.map((f) => `${JSON.stringify(f.name)}:${jsonValue(decode(f.plain, bytes, f.offset))}`).join(",")}}`;
      const got = text((out) => {
        if (encode(out, bytes, view, 0, bytes, view, 0)) fastRows++;
        else out.text(expected);
      }, 64);
      expect(got).toBe(expected);
    }
    // Most rows go the fast way; those with a char needing an escape were written from cells.
    expect(fastRows).toBeGreaterThan(5_000);
    expect(fastRows).toBeLessThan(20_000);
  });

  test("a char array needing an escape makes the encoder write nothing and say so", () => {
    const encode = rowEncoder([{ name: "s", part: "value", offset: 0, plain: { kind: "chars", length: 4 } }]);
    const bytes = new Uint8Array([0x61, 0x22, 0x62, 0]);
    const view = new DataView(bytes.buffer);
    expect(text((out) => expect(encode(out, bytes, view, 0, bytes, view, 0)).toBe(false))).toBe("");
    bytes[1] = 0x63;
    expect(text((out) => expect(encode(out, bytes, view, 0, bytes, view, 0)).toBe(true))).toBe('{"s":"acb"}');
  });
});
