import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gmsLexer } from "../../grammar/tokens";
import { parseProgram } from "./parse";
import { renderDiagnostics } from "./render";

/**
 * The fuzz test: mutants of every example script and of the statements below must each end in
 * statements or diagnostics, never an exception (nor a diagnostic labelled "internal error"),
 * and none may take over 50 ms to parse, check and render (a guard against runaway parsing).
 * Seeded, so a failure is reproduced by running the test again.
 */

const INPUTS = 20_000;
const SEED = 0x5eed;
const LIMIT_MS = 50;

/** STATEMENTS: every kind of statement, every clause, literal and operator, all valid. */
const STATEMENTS = [
  "show maps",
  "show programs",
  'show probes where name ~ "^sys" order by name desc limit 3',
  "describe map events",
  "describe events",
  'describe file "dump.json"',
  'describe map "/sys/fs/bpf/foo"',
  "describe map id 42",
  "trace syscalls",
  "trace syscalls sample 1% where pid == 1234",
  "stop syscalls",
  "stop all",
  "wait 2s",
  "wait 500ms; wait 10us",
  "sample 1% from map events",
  "sample 100 from events",
  "sample 1% from map events weighted by qps",
  'sample 20 from map events weighted by 100 * (1 - errors / calls) * log2(qps + 1) where comm != "gms" seed 7',
  "sample 5 per comm from map events weighted by qps",
  'sample 100 from map events to "out.csv"',
  'sample 0.5% from map "syscalls.bss" where key.pid in (1, 2, 3) seed 0x2a',
  'sample 10 from file "dump.json" where not (a > 1 or b <= 2) and c not in ("x", "y")',
  "from map events where qps > 100 order by qps desc limit 10",
  'select comm, qps, errors / calls as err_rate from map events where lat >= 1ms order by err_rate asc, comm to "o.json"',
  "from events where value.stats.max % 2 == 0 and size < 4k and size >= 1M",
  'estimate sum(qps), count() from map events where comm == "nginx" using sample 1%',
  "estimate avg(lat) as mean, count() as n from events using sample 100 weighted by qps seed 3",
  "explain sample 1% from map events weighted by qps",
  "explain from events limit 1",
  "let slow = 500ms",
  "let big = 18446744073709551615",
  'let name = "a\\"b\\n"',
  "let x = -a * -(b + c) / abs(d) - min(e, f, g) + max(1, 2) + floor(sqrt(h)) + ceil(ln(i))",
  'let s = str(hex(ksym(0xffffffff81000000))) ~ "^[a-z_]+"',
  "let t = true != false and null == null or log10(2G) > 1h",
  "set format json",
  "set format csv",
  "set seed 42",
  "watch every 1s sample 10 from map events weighted by qps",
  "watch every 2s estimate count() from events using sample 5%",
  "watch every 1m show maps",
  "sample 1% from events\n  where qps > 1\n  seed 7",
  "select a,\n  b\nfrom events where (a +\n  b) > 1",
  "# a comment\ntrace syscalls # start\nwait 1s\nstop all",
];

function examples(): string[] {
  const dir = join(import.meta.dir, "..", "..", "examples");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".gms"))
    .sort()
    .map((f) => readFileSync(join(dir, f), "utf8"));
}

/** mulberry32: a tiny seeded generator of doubles in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** SPECIAL: characters a mutation likes to insert, ones the grammar cares about and others. */
const SPECIAL = [..."()\"%.,=<>!~-+*/;#\\\n\r\t 0123456789xkKMGmsu_'@$&|\u00e9\u0000", "\u{1F600}"];

/** Words a mutation likes to insert: every keyword and a few names. */
const WORDS = [
  ...gmsLexer.tokenize(STATEMENTS.join("\n")).tokens.map((t) => t.image),
  "select", "using", "asc", "every", "format", "per", "file", "id", "all", "in", "not",
  "smaple", "form", "wehre", "==", "=", "0x", "1e6", "4kb",
];

class Mutator {
  constructor(private readonly random: () => number) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** mutate: `text` after one to four random edits of characters or tokens. */
  mutate(text: string): string {
    let out = text;
    const edits = 1 + this.int(4);
    for (let i = 0; i < edits; i++) out = this.edit(out);
    return out;
  }

  private edit(text: string): string {
    const at = this.int(text.length + 1);
    const span = 1 + this.int(4);
    switch (this.int(9)) {
      case 0: // delete characters
        return text.slice(0, at) + text.slice(at + span);
      case 1: // duplicate characters
        return text.slice(0, at + span) + text.slice(at, at + span) + text.slice(at + span);
      case 2: {
        // swap two neighbouring characters
        if (at + 1 >= text.length) return text;
        return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
      }
      case 3: // insert a random byte
        return text.slice(0, at) + String.fromCharCode(this.int(256)) + text.slice(at);
      case 4: // insert a character the grammar cares about
        return text.slice(0, at) + this.pick(SPECIAL) + text.slice(at);
      default:
        return this.editTokens(text);
    }
  }

  /** editTokens: delete, duplicate, swap or replace whole tokens, or insert a word. */
  private editTokens(text: string): string {
    const tokens = gmsLexer.tokenize(text).tokens;
    if (tokens.length === 0) return text + this.pick(WORDS);
    const i = this.int(tokens.length);
    const t = tokens[i]!;
    const start = t.startOffset;
    const end = (t.endOffset ?? t.startOffset) + 1;
    switch (this.int(5)) {
      case 0:
        return text.slice(0, start) + text.slice(end);
      case 1:
        return text.slice(0, end) + " " + t.image + text.slice(end);
      case 2: {
        const u = tokens[this.int(tokens.length)]!;
        if (u === t) return text;
        const [a, b] = u.startOffset < start ? [u, t] : [t, u];
        const aEnd = (a.endOffset ?? a.startOffset) + 1;
        const bEnd = (b.endOffset ?? b.startOffset) + 1;
        return (
          text.slice(0, a.startOffset) +
          b.image +
          text.slice(aEnd, b.startOffset) +
          a.image +
          text.slice(bEnd)
        );
      }
      case 3:
        return text.slice(0, start) + this.pick(WORDS) + text.slice(end);
      default:
        return `${text.slice(0, start)}${this.pick(WORDS)} ${text.slice(start)}`;
    }
  }
}

/** Outcome: what one input came to. */
interface Outcome {
  ms: number;
  statements: number;
  diagnostics: number;
  internal: string[];
}

function run(text: string): Outcome {
  const started = performance.now();
  const result = parseProgram(text);
  renderDiagnostics(result.diagnostics, text, "fuzz.gms");
  const ms = performance.now() - started;
  return {
    ms,
    statements: result.statements.length,
    diagnostics: result.diagnostics.length,
    internal: result.diagnostics
      .filter((d) => /internal error|nested too deeply/.test(d.message))
      .map((d) => d.message),
  };
}

describe("fuzz", () => {
  test(`${INPUTS} mutants parse to statements or diagnostics, each within ${LIMIT_MS} ms`, () => {
    const corpus = [...examples(), ...STATEMENTS];
    // The statements are valid (the examples have a test of their own); this also warms the
    // parser up before anything is timed.
    for (const text of corpus) {
      const { diagnostics } = parseProgram(text);
      if (!STATEMENTS.includes(text)) continue;
      expect({ text, diagnostics }).toEqual({ text, diagnostics: [] });
    }

    const mutator = new Mutator(mulberry32(SEED));
    const failures: { input: string; problem: string }[] = [];
    let clean = 0;
    let broken = 0;
    for (let n = 0; n < INPUTS; n++) {
      // Now and then several statements at once, so one line's damage meets the next line.
      const base =
        mutator.int(8) === 0
          ? [mutator.pick(corpus), mutator.pick(corpus), mutator.pick(corpus)].join("\n")
          : mutator.pick(corpus);
      const input = mutator.mutate(base);
      let outcome: Outcome;
      try {
        outcome = run(input);
        // A slow input is timed again before it counts: a pause for garbage collection is not
        // a runaway parse.
        for (let again = 0; again < 2 && outcome.ms > LIMIT_MS; again++) {
          const retry = run(input);
          if (retry.ms < outcome.ms) outcome = retry;
        }
      } catch (err) {
        failures.push({ input, problem: `threw ${(err as Error).stack ?? String(err)}` });
        continue;
      }
      if (outcome.internal.length > 0) {
        failures.push({ input, problem: outcome.internal.join("; ") });
      }
      if (outcome.ms > LIMIT_MS) {
        failures.push({ input, problem: `took ${outcome.ms.toFixed(1)} ms` });
      }
      const blank = !/[^\s;]/.test(input.replace(/#[^\n]*/g, ""));
      if (outcome.statements + outcome.diagnostics === 0 && !blank) {
        failures.push({ input, problem: "neither a statement nor a diagnostic" });
      }
      if (outcome.diagnostics === 0) clean++;
      else broken++;
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // The mutants are mostly broken, but not all: both paths are exercised.
    expect(clean).toBeGreaterThan(INPUTS / 50);
    expect(broken).toBeGreaterThan(INPUTS / 2);
  }, 30_000);
});
