/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Types the syscalls probe shares with user space (which reads them from BTF, not from here). */
#ifndef GMS_SYSCALLS_H
#define GMS_SYSCALLS_H

#include "gms.h"

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

/* The key of map `syscalls`: one process's calls of one syscall. */
struct syscall_nr_key {
	__u32 pid;
	__u32 nr;	/* the syscall number (x86-64); gms shows its name */
};

/* One process's calls of one syscall, the value of map `syscalls`. */
struct syscall_nr_stats {
	__u64 calls;
	__u64 errors;
	__u64 total_ns;
	__u64 max_ns;
};

/*
 * What `trace syscalls [sample P%] [where ...]` asks of the kernel side: the value of map
 * syscalls_cfg, which holds two slots; syscalls_cfg_at says which one is live. User space writes
 * the idle slot and then flips the index, so a program never reads a half-written config.
 */
struct syscalls_config {
	__u32 sample_all;	/* 1: count every syscall; 0: count it when prandom < threshold */
	__u32 threshold;	/* round(p * 2^32) */
	__u32 pid_op;		/* 0: any process, 1: pid == pid, 2: pid != pid */
	__u32 pid;
	__u32 comm_op;		/* 0: any name, 1: comm == comm, 2: comm != comm */
	char comm[GMS_COMM_LEN];
};

#endif
