// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * huge: one array map large enough that reading it takes seconds (32M entries, 256 MB of kernel
 * memory, allocated zeroed when the object loads): the test of Ctrl-C during a long read. Loaded
 * by that test alone.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1 << 25);
	__type(key, __u32);
	__type(value, __u64);
} gms_huge SEC(".maps");
