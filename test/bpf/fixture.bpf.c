// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fixture: maps with known contents for the decoder tests. User space runs `fill` once; the
 * test then compares gms's decoding with `bpftool map dump -j`.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define FIXTURE_ENTRIES 50

enum fixture_color { FIXTURE_RED = 0, FIXTURE_GREEN = 1, FIXTURE_BLUE = 7 };

struct fixture_key {
	__u32 id;
	char tag[8];
};

struct fixture_inner {
	__u16 port;
	__s16 delta;
	__u64 big;	/* above 2^53: must stay exact */
};

struct fixture_value {
	char name[16];
	__s32 temp;
	__u64 total;
	enum fixture_color color;
	struct fixture_inner inner;
	__u32 hist[4];
	_Bool ok;
	__u8 low:3, high:5;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, struct fixture_key);
	__type(value, struct fixture_value);
} gms_fixture SEC(".maps");

/* A map created without BTF: gms reads its 4-byte keys and 8-byte values as integers. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__uint(key_size, 4);
	__uint(value_size, 8);
} gms_fixture_raw SEC(".maps");

SEC("syscall")
int fill(void *ctx)
{
	for (__u32 i = 0; i < FIXTURE_ENTRIES; i++) {
		struct fixture_key k = { .id = i * 7 + 1 };
		struct fixture_value v = {};

		/* Distinct, checkable values for every field kind. */
		k.tag[0] = 't';
		k.tag[1] = 'a' + (i % 26);
		v.name[0] = 'n';
		v.name[1] = '0' + (i % 10);
		v.name[2] = '-';
		v.name[3] = 'A' + (i % 26);
		v.temp = (__s32)i * 13 - 300;
		v.total = (__u64)i * 1000003ULL;
		v.color = i % 3 == 0 ? FIXTURE_RED : i % 3 == 1 ? FIXTURE_GREEN : FIXTURE_BLUE;
		v.inner.port = 1000 + i;
		v.inner.delta = -(__s16)i;
		v.inner.big = 0xfffffffffffffff0ULL - i;
		v.hist[0] = i;
		v.hist[1] = i * 2;
		v.hist[2] = i * 3;
		v.hist[3] = 4000000000U - i;
		v.ok = i & 1;
		v.low = i & 7;
		v.high = (i >> 1) & 31;
		bpf_map_update_elem(&gms_fixture, &k, &v, BPF_ANY);
	}
	for (__u32 i = 0; i < 8; i++) {
		__u64 x = (__u64)i << 40 | i;

		bpf_map_update_elem(&gms_fixture_raw, &i, &x, BPF_ANY);
	}
	return 0;
}

/* A map another process rewrites while gms reads it (the concurrency test). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} gms_churn SEC(".maps");

/*
 * Large enough (max_entries >= 65536) that gms reads it with two threads, each taking part of the
 * buckets: the split read and its seam are tested on it, with and without a concurrent writer.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 131072);
	__type(key, __u32);
	__type(value, __u64);
} gms_churn_big SEC(".maps");

/* A per-CPU array, written from user space with a known value on every CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} gms_percpu SEC(".maps");
