import { readdirSync } from "node:fs";
import { allMapInfos } from "../bpf/maps";
import { KernelMapSource, openMapByName } from "../sources/kernel-map";
import { tracepointNames } from "../sources/tracefs";
import { PROBES } from "../probes";
import { STREAMS } from "../sources/probe-stream";
import type { CompletionContext } from "./complete";

/** quietly: a lookup that gives nothing when the machine says no (no privilege, a map gone). */
function quietly<T>(f: () => T[]): T[] {
  try {
    return f();
  } catch {
    return [];
  }
}

/**
 * machineCompletion: completion from what this machine has now: map names and a map's fields
 * from the kernel and its BTF, tracepoints from tracefs, files from the file system. Nothing is
 * cached: map names are listed afresh at each Tab that completes one (a list of 1,000 maps
 * takes a few milliseconds).
 */
export function machineCompletion(): CompletionContext {
  return {
    mapNames: () => quietly(() => allMapInfos().map((m) => m.name).filter(Boolean)),
    fieldsOf: (name) =>
      quietly(() => {
        const src = new KernelMapSource(openMapByName(name));
        try {
          return src.columns.map((c) => c.name);
        } finally {
          src.close();
        }
      }),
    probeNames: () => [...PROBES.keys()],
    streamNames: () => [...STREAMS.keys()],
    tracepoints: () => tracepointNames(),
    files: (prefix) =>
      quietly(() => {
        const slash = prefix.lastIndexOf("/");
        const dir = prefix.slice(0, slash + 1);
        const start = prefix.slice(slash + 1);
        return readdirSync(dir || ".", { withFileTypes: true })
          .filter((e) => e.name.startsWith(start))
          .map((e) => `${dir}${e.name}${e.isDirectory() ? "/" : ""}`);
      }),
  };
}
