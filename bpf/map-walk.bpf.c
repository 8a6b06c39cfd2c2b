// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * map-walk: copies every entry of a hash map, in one pass in the kernel, into two arrays that
 * user space maps (src/bpf/map-walk.ts): the keys end to end and the values end to end, as a
 * batch read hands them over. One `syscall` program walks the map with bpf_for_each_map_elem
 * (the target map's fd replaces `target` before load) and raises `state.count` after each entry,
 * so user space can take entries while the walk goes on. It stops at `limit` entries
 * (`state.incomplete`), or when user space sets `state.stop`. It may copy only part of each
 * value (a sample's weight); `fetch` then copies the whole values of the keys user space chose.
 *
 * A batch read locks each bucket and copies it out with two copy_to_user calls; this walk takes
 * no lock and copies into memory user space reads in place, in about half the time of one batch
 * reader. Like the kernel's own map iterator it reads buckets under RCU only: an entry updated
 * while the walk passes it may be seen twice or with the value it had a moment before.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "map-walk.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile struct walk_config cfg;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} target SEC(".maps");

/*
 * A chunked array user space maps: each entry of the array map is a chunk of entries end to end
 * (chunk sizes and counts are set before load; see slot()).
 */
#define CHUNKED_ARRAY(name)                                     \
	struct {                                                \
		__uint(type, BPF_MAP_TYPE_ARRAY);               \
		__uint(map_flags, BPF_F_MMAPABLE);              \
		__uint(max_entries, 1);                         \
		__uint(key_size, 4);                            \
		__uint(value_size, 8);                          \
	} name SEC(".maps")

/* The keys walked, and what the walk copies of their values. */
CHUNKED_ARRAY(walk_keys);
CHUNKED_ARRAY(walk_values);

/* Whole values of the keys `fetch` looks up, and whether it found each (1) or not (0). */
CHUNKED_ARRAY(fetch_values);
CHUNKED_ARRAY(fetch_found);

struct walk_state state;

/* slot: entry n of a chunked array of `size`-byte entries, `per` to a chunk; NULL past the end. */
static __always_inline __u8 *slot(void *map, __u32 per, __u32 size, __u32 n)
{
	__u32 chunk = n / per;
	__u32 at = n - chunk * per;
	__u8 *base;

	if (at >= per)
		return NULL;
	base = bpf_map_lookup_elem(map, &chunk);
	return base ? base + (__u64)at * size : NULL;
}

/* copy: `size` bytes (at most `max`), by 8-byte words and then 4, 2 and 1. */
#define COPY(dst, src, size, max)                                                   \
	do {                                                                        \
		__u32 i_ = 0;                                                       \
		for (; i_ + 8 <= (size) && i_ < (max); i_ += 8)                     \
			*(__u64 *)((dst) + i_) = *(__u64 *)((src) + i_);            \
		if ((size) & 4) {                                                   \
			*(__u32 *)((dst) + i_) = *(__u32 *)((src) + i_);            \
			i_ += 4;                                                    \
		}                                                                   \
		if ((size) & 2) {                                                   \
			*(__u16 *)((dst) + i_) = *(__u16 *)((src) + i_);            \
			i_ += 2;                                                    \
		}                                                                   \
		if ((size) & 1)                                                     \
			*((dst) + i_) = *((src) + i_);                              \
	} while (0)

static long copy_entry(struct bpf_map *map, const __u8 *key, const __u8 *value, void *ctx)
{
	__u32 n = state.count;
	__u8 *k, *v;

	if (*(volatile __u32 *)&state.stop)
		return 1;
	if (n >= cfg.limit) {
		state.incomplete = 1;
		return 1;
	}
	k = slot(&walk_keys, cfg.keys_per_chunk, cfg.key_size, n);
	if (!k) {
		state.incomplete = 1;
		return 1;
	}
	COPY(k, key, cfg.key_size, WALK_MAX_KEY);
	if (cfg.copy_size) {
		v = slot(&walk_values, cfg.values_per_chunk, cfg.copy_size, n);
		if (!v) {
			state.incomplete = 1;
			return 1;
		}
		COPY(v, value + cfg.copy_offset, cfg.copy_size, WALK_MAX_VALUE);
	}
	/* A full barrier: the entry's bytes are in place before user space sees the new count. */
	__sync_fetch_and_add(&state.count, 1);
	return 0;
}

SEC("syscall")
int walk(void *ctx)
{
	bpf_for_each_map_elem(&target, copy_entry, NULL, 0);
	return 0;
}

/* fetch_one: looks up key i of walk_keys and copies its whole value to fetch_values[i]. */
static long fetch_one(__u32 i, void *ctx)
{
	__u8 *k = slot(&walk_keys, cfg.keys_per_chunk, cfg.key_size, i);
	__u8 *out = slot(&fetch_values, cfg.fetched_per_chunk, cfg.value_size, i);
	__u8 *found = slot(&fetch_found, cfg.fetched_per_chunk, 1, i);
	__u8 *value;

	if (!k || !out || !found || i >= cfg.fetch_capacity)
		return 1;
	value = bpf_map_lookup_elem(&target, k);
	*found = 0;
	if (value) {
		COPY(out, value, cfg.value_size, WALK_MAX_VALUE);
		*found = 1;
	}
	return 0;
}

/*
 * fetch: after a walk that copied only part of each value, the whole values of the keys user
 * space chose (the entries a sample kept), looked up as they are now.
 */
SEC("syscall")
int fetch(void *ctx)
{
	bpf_loop(state.fetch_count, fetch_one, NULL, 0);
	return 0;
}
