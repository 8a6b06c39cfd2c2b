// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bench: large maps for the benchmarks, filled in the kernel by `SEC("syscall")` programs:
 * gms_bench (100,000 entries) and gms_big (1,000,000 entries, u32 key, 32-byte value).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define BENCH_ENTRIES 100000
#define BIG_ENTRIES 1000000

struct bench_value {
	char comm[16];
	__u64 calls;
	__u64 qps;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BENCH_ENTRIES);
	__type(key, __u32);
	__type(value, struct bench_value);
} gms_bench SEC(".maps");

/* 32 bytes with BTF, as the benchmark asks. */
struct big_value {
	__u64 v;
	__u64 bytes;
	__u32 flags;
	__s32 delta;
	char tag[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BIG_ENTRIES);
	__type(key, __u32);
	__type(value, struct big_value);
} gms_big SEC(".maps");

static long fill_bench_one(__u32 i, void *ctx)
{
	struct bench_value v = { .calls = i * 3ULL + 1, .qps = (i * 2654435761U) % 1000 };

	v.comm[0] = 'p';
	v.comm[1] = 'a' + i % 26;
	bpf_map_update_elem(&gms_bench, &i, &v, BPF_ANY);
	return 0;
}

static long fill_big_one(__u32 i, void *ctx)
{
	struct big_value v = {
		.v = (i * 2654435761U) % 100000 + 1,
		.bytes = (__u64)i << 12,
		.flags = i & 0xff,
		.delta = (__s32)(i % 2001) - 1000,
	};

	v.tag[0] = 'k';
	v.tag[1] = 'a' + i % 26;
	bpf_map_update_elem(&gms_big, &i, &v, BPF_ANY);
	return 0;
}

/* bpf_loop: a callback per entry, since the verifier will not walk a loop this long. */
SEC("syscall")
int fill_bench(void *ctx)
{
	bpf_loop(BENCH_ENTRIES, fill_bench_one, NULL, 0);
	return 0;
}

SEC("syscall")
int fill_big(void *ctx)
{
	bpf_loop(BIG_ENTRIES, fill_big_one, NULL, 0);
	return 0;
}
