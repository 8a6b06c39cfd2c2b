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

SEC("tracepoint")
int on_event(void *ctx)
{
	__u32 zero = 0, slot, pid;
	__u32 *at = bpf_map_lookup_elem(&tp_cfg_at, &zero);
	struct tp_config *cfg;
	struct tp_event *e;
	__u64 id, p32;

	if (!at)
		return 0;
	slot = *at & 1;
	cfg = bpf_map_lookup_elem(&tp_cfg, &slot);
	if (!cfg)
		return 0;
	/* The process filter, then the draw: compare a random u32 with round(p * 2^32). */
	id = bpf_get_current_pid_tgid();
	pid = id >> 32;
	if (cfg->pid_op && ((pid == cfg->pid) != (cfg->pid_op == 1)))
		return 0;
	if (cfg->comm_op) {
		char comm[GMS_COMM_LEN] = {};

		bpf_get_current_comm(&comm, sizeof(comm));
		if (same_comm(comm, cfg->comm) != (cfg->comm_op == 1))
			return 0;
	}
	/* The record's integer conditions (`where prev_pid == 42 and ...`), before the draw. */
	for (int i = 0; i < GMS_TP_CONDS; i++) {
		if (!cfg->conds[i].op)
			break;
		if (!holds(ctx, &cfg->conds[i]))
			return 0;
	}
	p32 = 1ULL << 32;
	if (cfg->weight_size) {
		/* Threshold sampling: keep with probability min(1, w / tau). */
		struct tp_cond wc = { .offset = cfg->weight_offset, .size = cfg->weight_size, .is_signed = cfg->weight_signed, .op = TP_GT };
		__u64 w = 0, tau = cfg->tau;

		/* A weight of 0 or below has no chance: left out, and counted. */
		if (!holds(ctx, &wc)) {
			__u64 *n = bpf_map_lookup_elem(&tp_weightless, &zero);

			if (n)
				(*n)++;
			return 0;
		}
		bpf_probe_read_kernel(&w, wc.size > 8 ? 8 : (wc.size ? wc.size : 1), (char *)ctx + (wc.offset & (GMS_TP_DATA - 1)));
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
	} else if (!cfg->sample_all) {
		if (bpf_get_prandom_u32() >= cfg->threshold)
			return 0;
		p32 = cfg->threshold;
	}

	e = bpf_ringbuf_reserve(&tp_events, sizeof(*e), 0);
	if (!e) {
		__u64 *drops = bpf_map_lookup_elem(&tp_drops, &zero);

		if (drops)
			(*drops)++;
		return 0;
	}
	e->prob_q32 = p32;
	e->time_ns = bpf_ktime_get_ns();
	e->pid = pid;
	e->tid = (__u32)id;
	e->cpu = bpf_get_smp_processor_id();
	bpf_get_current_comm(&e->comm, sizeof(e->comm));
	/* The record: its size masked to the room, which the verifier needs to see bounded. */
	e->size = cfg->size < GMS_TP_DATA ? cfg->size : GMS_TP_DATA;
	if (bpf_probe_read_kernel(e->data, e->size & (GMS_TP_DATA - 1) ? e->size & (GMS_TP_DATA - 1) : GMS_TP_DATA, ctx))
		e->size = 0;
	/* Strings the record points to in user space (a syscall's filename...). */
	for (int i = 0; i < GMS_TP_STRS; i++) {
		__u32 off = cfg->str_off[i];
		const char *p = 0;

		e->strs[i][0] = 0;
		if (!off || off > GMS_TP_DATA - 8)
			continue;
		bpf_probe_read_kernel(&p, sizeof(p), (char *)ctx + off);
		if (p)
			bpf_probe_read_user_str(e->strs[i], GMS_TP_STR_LEN, p);
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}
