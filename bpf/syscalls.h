/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Types the syscalls probe shares with user space (which reads them from BTF, not from here). */
#ifndef GMS_SYSCALLS_H
#define GMS_SYSCALLS_H

#define GMS_COMM_LEN 16

/* The key of map `events`. */
struct syscall_key {
	__u32 pid;
};

/* One process's syscall counters, the value of map `events`. */
struct syscall_stats {
	char comm[GMS_COMM_LEN];
	__u64 calls;
	__u64 errors;     /* calls that returned a negative value */
	__u64 qps;        /* calls in the last full second, rolled by the clock timer */
	__u64 this_sec;   /* calls so far in the current second */
	__u64 total_ns;   /* time spent inside syscalls */
	__u64 max_ns;     /* the longest single syscall */
};

#endif
