// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * walk: maps for the in-kernel walk's tests (src/bpf/map-walk.kernel.test.ts), of sizes that
 * take every path of its copy: keys and values that are not whole words, an LRU hash map, and
 * the largest key and value it copies. User space fills them.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* 7-byte keys and 13-byte values: copied by a word, then 4 (key) or 8, 4 and 1 bytes (value). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 70000);
	__uint(key_size, 7);
	__uint(value_size, 13);
} gms_walk_odd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 70000);
	__uint(key_size, 16);
	__uint(value_size, 22);
} gms_walk_lru SEC(".maps");

/* The largest key and value the walk copies (bpf/map-walk.h). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__uint(key_size, 512);
	__uint(value_size, 4096);
} gms_walk_wide SEC(".maps");

/* A map type bpf_for_each_map_elem does not walk: the verifier refuses the walk's program. */
struct walk_lpm_key {
	__u32 prefixlen;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 16);
	__type(key, struct walk_lpm_key);
	__type(value, __u32);
} gms_walk_lpm SEC(".maps");

/*
 * A map with BTF whose values hold more than a sample's weight, which lies inside them (at byte
 * 8): a walk that copies weights only must fill the rest in for the entries a sample keeps.
 */
struct walk_value {
	__u32 a;
	__s32 b;
	__u64 w;
	char tag[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 70000);
	__type(key, __u32);
	__type(value, struct walk_value);
} gms_walk_btf SEC(".maps");
