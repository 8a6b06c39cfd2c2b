/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The configuration bpf/map-walk.bpf.c is loaded with (src/bpf/map-walk.ts lays it out from BTF). */
#ifndef MAP_WALK_H
#define MAP_WALK_H

/* The largest key and value the walk copies (bytes). */
#define WALK_MAX_KEY 512
#define WALK_MAX_VALUE 4096

struct walk_config {
	__u32 key_size;
	__u32 value_size;
	/*
	 * The part of each value the walk copies: copy_size bytes from copy_offset (all of it, or
	 * only a sample's weight, or nothing; `fetch` then copies whole values of chosen keys).
	 */
	__u32 copy_offset;
	__u32 copy_size;
	/* Entries per chunk of walk_keys, walk_values and fetch_values (a chunk is one array value). */
	__u32 keys_per_chunk;
	__u32 values_per_chunk;
	__u32 fetched_per_chunk;
	/* Entries copied before the walk stops (max_entries plus a margin: the arrays' room). */
	__u32 limit;
	/* The most keys one `fetch` run looks up (fetch_values' room). */
	__u32 fetch_capacity;
};

/* What the walk has done (.bss), read by user space while it runs, and user space's words. */
struct walk_state {
	/* Entries copied so far, raised atomically after each copy. */
	__u32 count;
	/* Set when the walk stopped at limit: the map was rewritten under it. */
	__u32 incomplete;
	/* Set by user space: stop (it no longer wants the entries). */
	__u32 stop;
	/* Set by user space before `fetch`: look up the keys walk_keys holds at 0..fetch_count-1. */
	__u32 fetch_count;
};

#endif
