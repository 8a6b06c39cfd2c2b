/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Types the exec probe shares with user space (which reads them from BTF, not from here). */
#ifndef GMS_EXEC_H
#define GMS_EXEC_H

#include "gms.h"

#define GMS_EXEC_PATH 256
#define GMS_EXEC_ARGS 256

/* One process start, as it comes out of the ring buffer. */
struct exec_event {
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	char comm[GMS_COMM_LEN];
	char filename[GMS_EXEC_PATH];
	/* The first arguments, NUL after each, as the new program's stack holds them. */
	char args[GMS_EXEC_ARGS];
};

/* The sampling of the exec stream: two slots and a flipped index, as every gms probe has. */
struct exec_config {
	__u32 sample_all;	/* 1: every start; 0: when prandom < threshold */
	__u32 threshold;	/* round(p * 2^32) */
};

#endif
