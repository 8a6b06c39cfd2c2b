import { BpfError } from "../bpf/errors";
import { allMapInfos, hasName, MapHandle, type MapInfo } from "../bpf/maps";

/** UnknownMapError: no map has the name; `nearest` holds the closest names on the machine. */
export class UnknownMapError extends Error {
  constructor(
    readonly mapName: string,
    readonly all: string[],
  ) {
    super(`unknown map '${mapName}'`);
    this.name = "UnknownMapError";
  }
}

/** AmbiguousMapError: several maps share the name; the user must choose with `map id N`. */
export class AmbiguousMapError extends Error {
  constructor(
    readonly mapName: string,
    readonly matches: MapInfo[],
  ) {
    super(`${matches.length} maps are named '${mapName}' (ids ${matches.map((m) => m.id).join(", ")})`);
    this.name = "AmbiguousMapError";
  }
}

/**
 * openMapByName: opens the one map with this name. `own` is tried first: the map of a probe
 * this gms runs wins over same-named maps of other programs.
 * Throws UnknownMapError, AmbiguousMapError, BpfError.
 */
export function openMapByName(name: string, own?: () => MapHandle | undefined): MapHandle {
  const mine = own?.();
  if (mine) return mine;
  const infos = allMapInfos();
  const matches = infos.filter((i) => hasName(i, name));
  if (matches.length === 0) throw new UnknownMapError(name, [...new Set(infos.map((i) => i.name))]);
  if (matches.length > 1) throw new AmbiguousMapError(name, matches);
  try {
    return MapHandle.byId(matches[0]!.id);
  } catch (e) {
    if (e instanceof BpfError && e.code === "ENOENT") throw new UnknownMapError(name, []);
    throw e;
  }
}
