/**
 * walk-refused: the in-kernel walk's fallback, in a process of its own (the refusal is
 * remembered for the process). Given the ids of an LPM trie map, which bpf_for_each_map_elem
 * does not walk, and of a hash map, it prints what walkMap gives for the first (the verifier
 * refuses the program) and how readEntries then reads the second when asked to walk it.
 */
import { MapHandle, readEntries } from "../src/bpf/maps";
import { walkMap } from "../src/bpf/map-walk";

const [lpm, hash] = process.argv.slice(2).map((id) => MapHandle.byId(Number(id))) as [MapHandle, MapHandle];
const refused = walkMap(lpm, () => {}, 64, 64);
const after = readEntries(hash, () => {}, { walk: true });
console.log(JSON.stringify({ refused: refused ?? null, method: after.method, entries: after.entries }));
