// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * sched: run-queue latency, the time a task waits between becoming runnable (woken, or
 * preempted while running) and running, per process and as a log2 histogram, from the sched
 * tracepoints attached as raw tracepoints.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "sched.h"

#define TASK_RUNNING 0

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct runq_key);
	__type(value, struct runq_stats);
} runq SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, GMS_HIST_SLOTS);
	__type(key, __u32);
	__type(value, struct runq_slot);
} runq_hist SEC(".maps");

/* When each thread became runnable; LRU so threads that exit while runnable age out. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} runq_start SEC(".maps");

static void runnable(struct task_struct *p)
{
	__u32 tid = BPF_CORE_READ(p, pid);
	__u64 now = bpf_ktime_get_ns();

	/* The idle task (pid 0) never waits in a run queue. */
	if (tid)
		bpf_map_update_elem(&runq_start, &tid, &now, BPF_ANY);
}

/* log2_slot: floor(log2(us)) for us >= 1, 0 below, capped at the last slot. */
static __u32 log2_slot(__u64 us)
{
	__u32 slot = 0;

	for (int i = 0; i < GMS_HIST_SLOTS - 1; i++) {
		if (us < 2)
			break;
		us >>= 1;
		slot++;
	}
	return slot;
}

SEC("raw_tp/sched_wakeup")
int on_wakeup(struct bpf_raw_tracepoint_args *ctx)
{
	runnable((struct task_struct *)ctx->args[0]);
	return 0;
}

SEC("raw_tp/sched_wakeup_new")
int on_wakeup_new(struct bpf_raw_tracepoint_args *ctx)
{
	runnable((struct task_struct *)ctx->args[0]);
	return 0;
}

SEC("raw_tp/sched_switch")
int on_switch(struct bpf_raw_tracepoint_args *ctx)
{
	/* TP_PROTO(bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state) */
	struct task_struct *prev = (struct task_struct *)ctx->args[1];
	struct task_struct *next = (struct task_struct *)ctx->args[2];
	unsigned int prev_state = (unsigned int)ctx->args[3];
	struct runq_stats *s;
	struct runq_slot *h;
	struct runq_key key;
	__u64 *start, delta;
	__u32 tid, slot;

	/* Preempted while running: back into the run queue, waiting from now. */
	if (prev_state == TASK_RUNNING)
		runnable(prev);

	tid = BPF_CORE_READ(next, pid);
	start = bpf_map_lookup_elem(&runq_start, &tid);
	if (!start)
		return 0;
	delta = bpf_ktime_get_ns() - *start;
	bpf_map_delete_elem(&runq_start, &tid);

	slot = log2_slot(delta / 1000);
	h = bpf_map_lookup_elem(&runq_hist, &slot);
	if (h)
		__sync_fetch_and_add(&h->count, 1);

	key.pid = BPF_CORE_READ(next, tgid);
	s = bpf_map_lookup_elem(&runq, &key);
	if (!s) {
		struct runq_stats zero = {};

		BPF_CORE_READ_STR_INTO(&zero.comm, next, group_leader, comm);
		bpf_map_update_elem(&runq, &key, &zero, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&runq, &key);
		if (!s)
			return 0;
	}
	/* Every 64th wait, refresh the name: a process forked before exec first waits under its parent's. */
	if ((__sync_fetch_and_add(&s->waits, 1) & 63) == 63)
		BPF_CORE_READ_STR_INTO(&s->comm, next, group_leader, comm);
	__sync_fetch_and_add(&s->total_ns, delta);
	/* A racy maximum, as in the syscalls probe. */
	if (delta > s->max_ns)
		s->max_ns = delta;
	return 0;
}
