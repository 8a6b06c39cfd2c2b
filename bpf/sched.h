/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Types the sched probe shares with user space (which reads them from BTF, not from here). */
#ifndef GMS_SCHED_H
#define GMS_SCHED_H

#include "gms.h"

/* Histogram slots: slot i counts waits of [2^i, 2^(i+1)) microseconds (slot 0 also below 1). */
#define GMS_HIST_SLOTS 32

/* The key of map `runq`. */
struct runq_key {
	__u32 pid;
};

/* One process's run-queue waits (wakeup, or preemption, to running), the value of map `runq`. */
struct runq_stats {
	char comm[GMS_COMM_LEN];
	__u64 waits;
	__u64 total_ns;
	__u64 max_ns;
};

/* One slot of the histogram of every wait, the value of map `runq_hist` (key: the slot). */
struct runq_slot {
	__u64 count;
};

#endif
