/**
 * map-writer: rewrites a map by id in a tight loop (insert and delete random u32 keys below
 * `keys`, u64 values) for `ms` milliseconds, then prints how many writes it made. The
 * concurrency test runs it beside gms's reads.
 */
import { MapHandle } from "../src/bpf/maps";

const [id, keys, ms] = process.argv.slice(2).map(Number) as [number, number, number];
const map = MapHandle.byId(id);
const key = new Uint32Array(1);
const value = new BigUint64Array(1);
const end = Date.now() + ms;
let writes = 0;
let x = 12345;
while (Date.now() < end) {
  for (let i = 0; i < 1000; i++, writes++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    key[0] = (x >>> 8) % keys;
    value[0] = BigInt(x);
    if ((x >>> 20) & 1) map.write(new Uint8Array(key.buffer), new Uint8Array(value.buffer));
    else map.remove(new Uint8Array(key.buffer));
  }
}
map.close();
console.log(writes);
