/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Helpers the probes share (include after bpf/bpf_helpers.h). */
#ifndef GMS_COMM_H
#define GMS_COMM_H

#include "gms.h"

/* same_comm: whether two task names (NUL-ended within GMS_COMM_LEN bytes) are equal. */
static __always_inline bool same_comm(const char *a, const char *b)
{
	for (int i = 0; i < GMS_COMM_LEN; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			break;
	}
	return true;
}

/*
 * live_slot: the configuration user space last published, or 0. cfg_map holds two slots and
 * at_map (one __u32 at key 0) says which is live: user space writes the idle slot and then flips
 * the index, so a program never reads a half-written config.
 */
static __always_inline void *live_slot(void *cfg_map, void *at_map)
{
	__u32 zero = 0, slot;
	__u32 *at = bpf_map_lookup_elem(at_map, &zero);

	if (!at)
		return 0;
	slot = *at & 1;
	return bpf_map_lookup_elem(cfg_map, &slot);
}

/*
 * pid_ok: whether the calling process (its tgid) passes a pid filter (op 0: any, 1: == want,
 * 2: != want). Asks the kernel for the pid only when there is a filter: on every syscall each
 * helper call counts.
 */
static __always_inline bool pid_ok(__u32 op, __u32 want)
{
	__u32 pid;

	if (!op)
		return true;
	pid = bpf_get_current_pid_tgid() >> 32;
	return (pid == want) == (op == 1);
}

#endif
