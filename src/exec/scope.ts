import type { Source } from "../sources/source";
import { kallsyms } from "../sources/kallsyms";
import type { ExprScope, ExprType } from "./expr";

/**
 * scopeOf: the names an expression over `source` may use: its columns by name, and `key.X` /
 * `value.X` for a column X of the key or the value.
 */
export function scopeOf(source: Source): ExprScope {
  const { columns } = source;
  const byName = new Map(columns.map((c, i) => [c.name, i]));
  return {
    sourceName: source.label,
    column(path) {
      const direct = byName.get(path.join("."));
      if (direct !== undefined) return direct;
      const [head, ...rest] = path;
      if (head !== "key" && head !== "value") return undefined;
      const inner = rest.join(".");
      const i = columns.findIndex(
        (c) => c.part === head && (c.name === inner || c.name === `${head}.${inner}` || (inner === "" && c.name === head)),
      );
      return i < 0 ? undefined : i;
    },
    fieldNames: () => columns.map((c) => c.name),
    columnType(i): ExprType {
      const c = columns[i];
      return c?.numeric ? "number" : c?.text ? "string" : "any";
    },
    ksym: (addr) => kallsyms().lookup(addr) ?? `0x${addr.toString(16)}`,
  };
}
