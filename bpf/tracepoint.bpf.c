// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tracepoint: one generic program for any tracepoint (`from tracepoint CAT:NAME`). It filters by
 * process and samples in the kernel, then copies the raw record (and the user strings its
 * pointer fields name) into a ring buffer; user space decodes it from the tracepoint's format.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "tracepoint.h"
#include "comm.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} tp_events SEC(".maps");

/* Events the ring buffer had no room for: never folded into the sampling rate. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} tp_drops SEC(".maps");

/* Events left out of a weighted sample for a weight of 0 or below (never silently). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} tp_weightless SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct tp_config);
} tp_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tp_cfg_at SEC(".maps");

/* Unused: it puts struct tp_event into the object's BTF, where user space reads its layout. */
struct tp_event *gms_tp_event_layout;

/* holds: whether the record's field satisfies one condition. */
static __always_inline bool holds(void *ctx, struct tp_cond *c)
{
	__u64 raw = 0;
	__s64 sv;

	if (c->offset > GMS_TP_DATA - 8)
		return false;
	switch (c->size) {
	case 1: bpf_probe_read_kernel(&raw, 1, (char *)ctx + c->offset); sv = (__s8)raw; break;
	case 2: bpf_probe_read_kernel(&raw, 2, (char *)ctx + c->offset); sv = (__s16)raw; break;
	case 4: bpf_probe_read_kernel(&raw, 4, (char *)ctx + c->offset); sv = (__s32)raw; break;
	default: bpf_probe_read_kernel(&raw, 8, (char *)ctx + c->offset); sv = (__s64)raw; break;
	}
	if (c->is_signed) {
		__s64 v = (__s64)c->value;

		switch (c->op) {
		case TP_EQ: return sv == v;
		case TP_NE: return sv != v;
		case TP_LT: return sv < v;
		case TP_LE: return sv <= v;
		case TP_GT: return sv > v;
		default: return sv >= v;
		}
	}
	switch (c->op) {
	case TP_EQ: return raw == c->value;
	case TP_NE: return raw != c->value;
	case TP_LT: return raw < c->value;
	case TP_LE: return raw <= c->value;
	case TP_GT: return raw > c->value;
	default: return raw >= c->value;
	}
}

/*
 * process_ok: whether the calling process passes the pid and comm filters (asking the kernel
 * only for what a filter needs: on every syscall each helper call counts).
 */
static __always_inline bool process_ok(struct tp_config *cfg)
{
	if (!pid_ok(cfg->pid_op, cfg->pid))
		return false;
	if (cfg->comm_op) {
		char comm[GMS_COMM_LEN] = {};

		bpf_get_current_comm(&comm, sizeof(comm));
		if (same_comm(comm, cfg->comm) != (cfg->comm_op == 1))
			return false;
	}
	return true;
}

/* draw: the unweighted draw. Returns the probability kept with, times 2^32, or 0 when left out. */
static __always_inline __u64 draw(struct tp_config *cfg)
{
	if (cfg->sample_all)
		return 1ULL << 32;
	/* Compare a random u32 with round(p * 2^32). */
	if (bpf_get_prandom_u32() >= cfg->threshold)
		return 0;
	return cfg->threshold;
}

/*
 * kept: the record's integer conditions, then the draw. Returns the probability the event is
 * kept with, times 2^32, or 0 when it is not kept.
 */
static __always_inline __u64 kept(void *rec, struct tp_config *cfg)
{
	__u32 zero = 0;
	__u64 p32 = 1ULL << 32;

	/* The record's integer conditions (`where prev_pid == 42 and ...`), before the draw. */
	for (int i = 0; i < GMS_TP_CONDS; i++) {
		if (!cfg->conds[i].op)
			break;
		if (!holds(rec, &cfg->conds[i]))
			return 0;
	}
	if (cfg->weight_size) {
		/* Threshold sampling: keep with probability min(1, w / tau). */
		struct tp_cond wc = { .offset = cfg->weight_offset, .size = cfg->weight_size, .is_signed = cfg->weight_signed, .op = TP_GT };
		__u64 w = 0, tau = cfg->tau;

		/* A weight of 0 or below has no chance: left out, and counted. */
		if (!holds(rec, &wc)) {
			__u64 *n = bpf_map_lookup_elem(&tp_weightless, &zero);

			if (n)
				(*n)++;
			return 0;
		}
		bpf_probe_read_kernel(&w, wc.size > 8 ? 8 : (wc.size ? wc.size : 1), (char *)rec + (wc.offset & (GMS_TP_DATA - 1)));
		if (w < tau) {
			/* Scale both down until tau fits 32 bits, so w * 2^32 / tau fits 64. */
			for (int i = 0; i < 32 && tau >> 32; i++) {
				tau >>= 1;
				w >>= 1;
			}
			p32 = tau ? (w << 32) / tau : 1ULL << 32;
			if (bpf_get_prandom_u32() >= p32)
				return 0;
		}
	} else {
		p32 = draw(cfg);
	}
	return p32;
}

/* emit: the event into the ring buffer, with `room` bytes of the record at most. */
static __always_inline void emit(void *rec, __u32 room, struct tp_config *cfg, __u64 p32)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 zero = 0, size;
	struct tp_event *e = bpf_ringbuf_reserve(&tp_events, sizeof(*e), 0);

	if (!e) {
		__u64 *drops = bpf_map_lookup_elem(&tp_drops, &zero);

		if (drops)
			(*drops)++;
		return;
	}
	e->prob_q32 = p32;
	e->time_ns = bpf_ktime_get_ns();
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	/* The record: its size masked to the room, which the verifier needs to see bounded. */
	size = cfg->size < room ? cfg->size : room;
	e->size = size;
	if (bpf_probe_read_kernel(e->data, size & (GMS_TP_DATA - 1) ? size & (GMS_TP_DATA - 1) : GMS_TP_DATA, rec))
		e->size = 0;
	/* Strings the record points to in user space (a syscall's filename...). */
	for (int i = 0; i < GMS_TP_STRS; i++) {
		__u32 off = cfg->str_off[i];
		const char *p = 0;

		e->strs[i][0] = 0;
		if (!off || off > GMS_TP_DATA - 8 || off + 8 > size)
			continue;
		bpf_probe_read_kernel(&p, sizeof(p), (char *)rec + off);
		if (p)
			bpf_probe_read_user_str(e->strs[i], GMS_TP_STR_LEN, p);
	}
	/*
	 * No wakeup: gms reads the ring by polling its mapping (src/sources/event-stream.ts) and
	 * never waits on it, and a wakeup is an irq_work per event while the reader keeps up.
	 */
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

/* on_event: any tracepoint, its record built by the kernel before the program runs. */
SEC("tracepoint")
int on_event(void *ctx)
{
	struct tp_config *cfg = live_slot(&tp_cfg, &tp_cfg_at);
	__u64 p32;

	if (!cfg || !process_ok(cfg))
		return 0;
	p32 = kept(ctx, cfg);
	if (p32)
		emit(ctx, GMS_TP_DATA, cfg, p32);
	return 0;
}

#if defined(__TARGET_ARCH_x86)
/*
 * raw_syscalls:sys_enter and sys_exit fire on every syscall, and a tracepoint program there
 * costs the kernel building each record before the program runs (about 30 ns a syscall,
 * measured with bench/probes), for events a sample then mostly leaves out. Attached as raw
 * tracepoints instead, these programs draw first and build the record (the same bytes as the
 * format file's: id, then args[6] or ret) only for the events they keep; with conditions on the
 * record or a weight, they build it first. The common fields stay zero: gms shows pid, tid and
 * comm from the event itself, as for every tracepoint.
 */
struct sys_enter_record {
	__u64 common;
	long id;
	unsigned long args[6];
};

struct sys_exit_record {
	__u64 common;
	long id;
	long ret;
};

/*
 * raw_begin: the live configuration when this syscall may be kept, else 0. When nothing in the
 * record decides (no conditions, no weight) the draw is made here, before the record is built,
 * and *p32 holds the probability it was kept with; otherwise *p32 is 0 and raw_end draws.
 */
static __always_inline struct tp_config *raw_begin(__u64 *p32)
{
	struct tp_config *cfg = live_slot(&tp_cfg, &tp_cfg_at);

	*p32 = 0;
	if (!cfg || !process_ok(cfg))
		return 0;
	if (cfg->conds[0].op || cfg->weight_size)
		return cfg;
	*p32 = draw(cfg);
	return *p32 ? cfg : 0;
}

/* raw_end: the built record's conditions and draw, unless raw_begin drew, then the event out. */
static __always_inline void raw_end(void *rec, __u32 size, struct tp_config *cfg, __u64 p32)
{
	if (!p32)
		p32 = kept(rec, cfg);
	if (p32)
		emit(rec, size, cfg, p32);
}

SEC("raw_tp/sys_enter")
int on_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct sys_enter_record r = {};
	struct pt_regs regs;
	__u64 p32;
	struct tp_config *cfg = raw_begin(&p32);

	if (!cfg || bpf_probe_read_kernel(&regs, sizeof(regs), (void *)ctx->args[0]))
		return 0;
	/* The x86-64 syscall arguments, as syscall_get_arguments() gives them to the tracepoint. */
	r.id = ctx->args[1];
	r.args[0] = regs.di;
	r.args[1] = regs.si;
	r.args[2] = regs.dx;
	r.args[3] = regs.r10;
	r.args[4] = regs.r8;
	r.args[5] = regs.r9;
	raw_end(&r, sizeof(r), cfg, p32);
	return 0;
}

SEC("raw_tp/sys_exit")
int on_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	struct sys_exit_record r = {};
	__u64 p32;
	struct tp_config *cfg = raw_begin(&p32);

	/* The syscall number, as syscall_get_nr() gives it to the tracepoint. */
	if (!cfg || bpf_probe_read_kernel(&r.id, sizeof(r.id), &regs->orig_ax))
		return 0;
	r.ret = ctx->args[1];
	raw_end(&r, sizeof(r), cfg, p32);
	return 0;
}
#endif
