// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * syscalls: per-process syscall counts, errors, rate and latency, from the raw_syscalls
 * tracepoints attached as raw tracepoints (the cheapest attachment the kernel offers).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "syscalls.h"
#include "comm.h"

#define NS_PER_SEC 1000000000ULL
#define CLOCK_MONOTONIC 1

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct syscall_key);
	__type(value, struct syscall_stats);
} events SEC(".maps");

/* The per-syscall breakdown: each process's calls of each syscall. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct syscall_nr_key);
	__type(value, struct syscall_nr_stats);
} syscalls SEC(".maps");

/*
 * When each thread entered its current syscall (0: not counted). Task-local storage: a slot in
 * the thread itself, found without hashing and freed with the thread, where a hash map keyed by
 * thread id cost an update and a delete on every syscall (about twice bpftrace's whole cost per
 * syscall, measured with bench/probes).
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} syscall_starts SEC(".maps");

struct clock {
	struct bpf_timer timer;
};

/* The once-a-second timer that rolls `this_sec` into `qps`. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct clock);
} syscalls_clock SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct syscalls_config);
} syscalls_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} syscalls_cfg_at SEC(".maps");

/* wanted: whether this syscall passes the where filter and the sampling draw. */
static bool wanted(void)
{
	struct syscalls_config *cfg = live_slot(&syscalls_cfg, &syscalls_cfg_at);

	if (!cfg)
		return true;
	/* The where filter: pid and comm comparisons. */
	if (!pid_ok(cfg->pid_op, cfg->pid))
		return false;
	if (cfg->comm_op) {
		struct task_struct *task = (void *)bpf_get_current_task();
		char comm[GMS_COMM_LEN] = {};

		/* The process's name, as map events shows it, not the calling thread's. */
		BPF_CORE_READ_STR_INTO(&comm, task, group_leader, comm);
		if (same_comm(comm, cfg->comm) != (cfg->comm_op == 1))
			return false;
	}
	/* Sampling: compare a random u32 with round(p * 2^32), never `% 100`. */
	return cfg->sample_all || bpf_get_prandom_u32() < cfg->threshold;
}

/* count_by_nr: the per-syscall breakdown of one counted call. */
static __always_inline void count_by_nr(struct bpf_raw_tracepoint_args *ctx, __u32 pid, long ret, __u64 delta)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	struct syscall_nr_key key = { .pid = pid, .nr = (__u32)BPF_CORE_READ(regs, orig_ax) };
	struct syscall_nr_stats *s = bpf_map_lookup_elem(&syscalls, &key);

	if (!s) {
		struct syscall_nr_stats zero = {};

		bpf_map_update_elem(&syscalls, &key, &zero, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&syscalls, &key);
		if (!s)
			return;
	}
	__sync_fetch_and_add(&s->calls, 1);
	if (ret < 0)
		__sync_fetch_and_add(&s->errors, 1);
	__sync_fetch_and_add(&s->total_ns, delta);
	if (delta > s->max_ns)
		s->max_ns = delta;
}

SEC("raw_tp/sys_enter")
int on_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 *start;

	if (!wanted())
		return 0;
	/* Remember when this thread entered: the exit counts the call and its latency. */
	start = bpf_task_storage_get(&syscall_starts, bpf_get_current_task_btf(), 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (start)
		*start = bpf_ktime_get_ns();
	return 0;
}

/*
 * on_exit counts a call when it returns (a call that never returns, exit_group, is not counted):
 * two hash lookups per counted call (events and syscalls), and none for calls the filter or the
 * sampling left out.
 */
SEC("raw_tp/sys_exit")
int on_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	long ret = (long)ctx->args[1];
	struct syscall_key pid;
	struct syscall_stats *s;
	__u64 *start, delta;

	/* Only syscalls counted at entry (filtered in, sampled) have a start. */
	start = bpf_task_storage_get(&syscall_starts, task, 0, 0);
	if (!start || !*start)
		return 0;
	delta = bpf_ktime_get_ns() - *start;
	*start = 0;

	/* Find or create the process's counters. */
	pid.pid = bpf_get_current_pid_tgid() >> 32;
	s = bpf_map_lookup_elem(&events, &pid);
	if (!s) {
		struct syscall_stats zero = {};

		/* The process's name is its main thread's, not that of whichever thread came first. */
		BPF_CORE_READ_STR_INTO(&zero.comm, task, group_leader, comm);
		bpf_map_update_elem(&events, &pid, &zero, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&events, &pid);
		if (!s)
			return 0;
	}
	__sync_fetch_and_add(&s->calls, 1);
	/* Once a second, on the first call, refresh the name: exec and prctl change it. */
	if (__sync_fetch_and_add(&s->this_sec, 1) == 0)
		BPF_CORE_READ_STR_INTO(&s->comm, task, group_leader, comm);
	/* Count failures: the syscall returned a negative errno. */
	if (ret < 0)
		__sync_fetch_and_add(&s->errors, 1);
	__sync_fetch_and_add(&s->total_ns, delta);
	/* A racy maximum: two threads of one process may both win; the larger one usually stays. */
	if (delta > s->max_ns)
		s->max_ns = delta;
	count_by_nr(ctx, pid.pid, ret, delta);
	return 0;
}

static long roll(struct bpf_map *map, struct syscall_key *pid, struct syscall_stats *s, void *ctx)
{
	/* Take this second's count and reset it in one step, so no call is lost. */
	s->qps = __sync_lock_test_and_set(&s->this_sec, 0);
	return 0;
}

static int tick(void *map, __u32 *key, struct clock *c)
{
	bpf_for_each_map_elem(&events, roll, NULL, 0);
	bpf_timer_start(&c->timer, NS_PER_SEC, 0);
	return 0;
}

/*
 * start_clock is run once by user space (BPF_PROG_TEST_RUN) after loading.
 * Why a syscall program: kernels up to at least 6.x refuse bpf_timer in raw tracepoint programs
 * ("tracing progs cannot use bpf_timer yet"), and the timer only needs starting once.
 */
SEC("syscall")
int start_clock(void *ctx)
{
	__u32 key = 0;
	struct clock *c = bpf_map_lookup_elem(&syscalls_clock, &key);

	if (!c)
		return 1;
	bpf_timer_init(&c->timer, &syscalls_clock, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&c->timer, tick);
	bpf_timer_start(&c->timer, NS_PER_SEC, 0);
	return 0;
}
