// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * exec: process starts as a stream. At sched_process_exec the new program is in place: its
 * pid, parent, uid, name, file and first arguments go into a ring buffer, after the sampling.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "exec.h"
#include "comm.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} exec_events SEC(".maps");

/* Starts the ring buffer had no room for: never folded into the sampling rate. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} exec_drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct exec_config);
} exec_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} exec_cfg_at SEC(".maps");

/* Unused: it puts struct exec_event into the object's BTF, where user space reads its layout. */
struct exec_event *gms_exec_event_layout;

SEC("tp/sched/sched_process_exec")
int on_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct exec_config *cfg = live_slot(&exec_cfg, &exec_cfg_at);
	__u32 zero = 0, off;
	struct task_struct *task;
	struct exec_event *e;
	unsigned long arg_start, arg_end, len;

	if (!cfg)
		return 0;
	if (!cfg->sample_all && bpf_get_prandom_u32() >= cfg->threshold)
		return 0;
	e = bpf_ringbuf_reserve(&exec_events, sizeof(*e), 0);
	if (!e) {
		__u64 *drops = bpf_map_lookup_elem(&exec_drops, &zero);

		if (drops)
			(*drops)++;
		return 0;
	}
	task = (struct task_struct *)bpf_get_current_task();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	/* The file: a __data_loc string in the record (its offset in the low 16 bits). */
	off = ctx->__data_loc_filename & 0xFFFF;
	bpf_probe_read_str(e->filename, sizeof(e->filename), (void *)ctx + off);
	/* The arguments: the new program's argv strings, end to end, from its stack. */
	arg_start = BPF_CORE_READ(task, mm, arg_start);
	arg_end = BPF_CORE_READ(task, mm, arg_end);
	len = arg_end - arg_start;
	if (len > GMS_EXEC_ARGS)
		len = GMS_EXEC_ARGS;
	e->args[0] = 0;
	if (len > 0)
		bpf_probe_read_user(e->args, len & (GMS_EXEC_ARGS - 1) ? len & (GMS_EXEC_ARGS - 1) : GMS_EXEC_ARGS, (void *)arg_start);
	if (len < GMS_EXEC_ARGS)
		e->args[len & (GMS_EXEC_ARGS - 1)] = 0;
	/*
	 * No wakeup: gms reads the ring by polling its mapping (src/sources/event-stream.ts) and
	 * never waits on it, and a wakeup is an irq_work per event while the reader keeps up.
	 */
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}
