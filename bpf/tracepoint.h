/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Types the generic tracepoint probe shares with user space (which reads them from BTF). */
#ifndef GMS_TRACEPOINT_H
#define GMS_TRACEPOINT_H

#include "gms.h"

/* Bytes of the raw tracepoint record copied into each event. */
#define GMS_TP_DATA 256
/* User-space strings (`const char *` fields) read into each event, and their room. */
#define GMS_TP_STRS 2
#define GMS_TP_STR_LEN 128

/* One event as it comes out of the ring buffer. */
struct tp_event {
	__u64 time_ns;		/* bpf_ktime_get_ns() when it fired */
	__u32 pid;		/* process (tgid) */
	__u32 tid;		/* thread */
	__u32 cpu;
	__u32 size;		/* bytes of data copied (the record's size, at most GMS_TP_DATA) */
	__u64 prob_q32;		/* the probability it was kept with, times 2^32 (2^32: certain) */
	char comm[GMS_COMM_LEN];
	__u8 data[GMS_TP_DATA];	/* the raw record, common fields first */
	char strs[GMS_TP_STRS][GMS_TP_STR_LEN];
};

/* Conditions on the record's integer fields the kernel side checks before sampling. */
#define GMS_TP_CONDS 4

enum tp_op { TP_EQ = 1, TP_NE, TP_LT, TP_LE, TP_GT, TP_GE };

/* field (at offset, size bytes, signed or not) OP value; op 0 ends the list. */
struct tp_cond {
	__u32 offset;
	__u8 size;
	__u8 is_signed;
	__u8 op;
	__u8 pad;
	__u64 value;
};

/*
 * What `sample P% from tracepoint C:N [where ...]` asks of the kernel side: the value of map
 * tp_cfg, which holds two slots; tp_cfg_at says which one is live. User space writes the idle
 * slot and then flips the index, so the program never reads a half-written config.
 */
struct tp_config {
	__u32 sample_all;	/* 1: keep every event; 0: keep it when prandom < threshold */
	__u32 threshold;	/* round(p * 2^32) */
	__u32 pid_op;		/* 0: any process, 1: pid == pid, 2: pid != pid */
	__u32 pid;
	__u32 comm_op;		/* 0: any name, 1: comm == comm, 2: comm != comm (the thread's name) */
	char comm[GMS_COMM_LEN];
	__u32 size;		/* bytes of the record to copy */
	__u32 str_off[GMS_TP_STRS];	/* offsets of `const char *` fields to read (0: none) */
	struct tp_cond conds[GMS_TP_CONDS];	/* all must hold (`and`) */
	/*
	 * Weighted (threshold) sampling, when weight_size is not 0: an event of weight w (an
	 * integer field of the record) is kept with probability min(1, w / tau); weights of 0 or
	 * below are left out and counted. User space moves tau as the weights it sees change.
	 */
	__u32 weight_offset;
	__u8 weight_size;
	__u8 weight_signed;
	__u8 pad2[2];
	__u64 tau;
};

#endif
