import { kernelDescribe } from "../../test/kernel";
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { Kallsyms, kallsyms } from "./kallsyms";

const SAMPLE = [
  "ffffffff81000000 T _stext",
  "ffffffff81000000 T _text",
  "ffffffff81000100 t helper",
  "ffffffff821f94a0 T schedule",
  "0000000000000000 A fixed_percpu_data",
  "0000000000001000 A cpu_number",
  "ffffffff821f9600 T schedule_idle",
  "ffffffffc0201000 t ftrace_trampoline\t[__builtin__ftrace]",
  "ffffffffc0a00010 t nf_hook\t[nf_tables]",
  "ffffffff81000200 W weak_one", // out of order: the table sorts
  "not a line",
  "",
].join("\n");

describe("Kallsyms from text", () => {
  const k = new Kallsyms(SAMPLE);

  test("an address inside a symbol gives name+0xoffset", () => {
    expect(k.lookup(0xffffffff821f94a4n)).toBe("schedule+0x4");
    expect(k.lookup(0xffffffff821f95ffn)).toBe("schedule+0x15f");
    expect(k.lookup(0xffffffff81000150n)).toBe("helper+0x50");
    expect(k.lookup(0xffffffff81000204n)).toBe("weak_one+0x4");
  });

  test("a symbol's own address gives its bare name", () => {
    expect(k.lookup(0xffffffff821f94a0n)).toBe("schedule");
    expect(k.lookup(0xffffffff821f9600n)).toBe("schedule_idle");
  });

  test("symbols sharing an address: the first in the file wins", () => {
    expect(k.lookup(0xffffffff81000000n)).toBe("_stext");
    expect(k.lookup(0xffffffff81000008n)).toBe("_stext+0x8");
  });

  test("module symbols drop the module name", () => {
    expect(k.lookup(0xffffffffc0a00018n)).toBe("nf_hook+0x8");
    expect(k.lookup(0xffffffffc0201000n)).toBe("ftrace_trampoline");
  });

  test("absolute symbols and addresses below the first symbol are not resolved", () => {
    expect(k.lookup(0n)).toBeUndefined();
    expect(k.lookup(0x1004n)).toBeUndefined();
    expect(k.lookup(0xffffffff80ffffffn)).toBeUndefined();
    expect(k.size).toBe(7);
  });

  test("hidden addresses (kptr_restrict) give an empty table", () => {
    const hidden = new Kallsyms(SAMPLE.replace(/^[0-9a-f]{16}/gm, "0000000000000000"));
    expect(hidden.size).toBe(0);
    expect(hidden.lookup(0xffffffff821f94a4n)).toBeUndefined();
    expect(new Kallsyms("").lookup(1n)).toBeUndefined();
  });
});

kernelDescribe("Kallsyms of the running kernel (root sees real addresses)", () => {
  test("schedule's address resolves", () => {
    const line = readFileSync("/proc/kallsyms", "latin1").split("\n").find((l) => / [Tt] schedule$/.test(l));
    const addr = line ? BigInt(`0x${line.split(" ")[0]}`) : 0n;
    expect(addr).not.toBe(0n);
    const k = Kallsyms.load();
    expect(k.lookup(addr + 4n)).toBe("schedule+0x4");
    expect(kallsyms()).toBe(kallsyms());
    expect(kallsyms().lookup(addr + 4n)).toBe("schedule+0x4");
  });
});
