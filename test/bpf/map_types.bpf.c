// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * map_types: one map of every type gms reads (and of some it refuses), with known contents for
 * src/bpf/map-types.kernel.test.ts, which compares gms's reads with `bpftool map dump -j`.
 *
 * `fill` and `fill_lpm` (run once from user space) write the hash, LRU, array and LPM maps. Per-CPU maps are
 * written from user space instead: a BPF program only writes the slot of the CPU it runs on,
 * while a user-space update sets every CPU's slot at once. `grab_stack` records kernel stacks
 * of one process (its tgid is written into mt_stack_tgid) into the stack_trace map.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* ---- every BTF kind the decoder handles, in the value of a hash map ---- */

enum mt_color { MT_RED = 0, MT_GREEN = 1, MT_BLUE = 7 };
enum mt_signed { MT_NEG = -2, MT_POS = 3 };
/* A value above 32 bits makes clang emit an ENUM64. */
enum mt_wide { MT_WIDE_SMALL = 1, MT_WIDE_BIG = 0xfffffffffffffff0ULL };

typedef __u64 mt_counter_t;

struct mt_pair {
	__u16 lo;
	__s16 hi;
};

union mt_word {
	__u32 whole;
	struct mt_pair half;
	__u8 bytes[4];
};

struct mt_kinds_key {
	__u32 id;
	char tag[4];
};

struct mt_kinds {
	__u8 u8;
	__s8 s8;
	__u16 u16;
	__s16 s16;
	__u32 u32;
	__s32 s32;
	__u64 u64;
	__s64 s64;
	unsigned __int128 u128;
	__int128 s128;
	_Bool flag;
	char name[8];
	__u32 hist[3];
	__s16 grid[2][2];
	struct mt_pair pairs[2];
	union mt_word word;
	struct {
		__u32 depth;
		struct mt_pair inner;
	} nested;
	enum mt_color color;
	enum mt_signed sgn;
	enum mt_wide wide;
	__u32 lo:3, mid:9;
	__s32 neg:5;
	mt_counter_t counter;
	const __u32 fixed;
	volatile __u32 vol;
	void *ptr;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, struct mt_kinds_key);
	__type(value, struct mt_kinds);
} mt_hash SEC(".maps");

/* Floats apart: bpftool 7.1 cannot format BTF floats, so this map is compared on raw bytes. */
struct mt_floats {
	float f;
	double d;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct mt_floats);
} mt_floats SEC(".maps");

/* ---- the table-like map types, with a small struct value ---- */

struct mt_stats {
	__u64 calls;
	__s64 delta;
	char comm[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct mt_stats);
} mt_lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct mt_stats);
} mt_array SEC(".maps");

/* Per-CPU maps: written from user space, every CPU's slot with its own value. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct mt_stats);
} mt_pc_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct mt_stats);
} mt_pc_lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} mt_pc_array SEC(".maps");

/* ---- LPM tries: IPv4 and IPv6 keys with BTF, and one without BTF ---- */

struct mt_lpm4_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct mt_lpm6_key {
	__u32 prefixlen;
	__u8 addr[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct mt_lpm4_key);
	__type(value, __u32);
} mt_lpm4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct mt_lpm6_key);
	__type(value, __u64);
} mt_lpm6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(key_size, 8);
	__uint(value_size, 4);
} mt_lpm_raw SEC(".maps");

/* ---- a hash without BTF whose key and value sizes are not multiples of 4 (filled by the test) ---- */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__uint(key_size, 5);
	__uint(value_size, 7);
} mt_odd SEC(".maps");

/* ---- stack traces of one process's syscalls ---- */

#define MT_STACK_DEPTH 64

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 256);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, MT_STACK_DEPTH * sizeof(__u64));
} mt_stack SEC(".maps");

/* The tgid whose stacks grab_stack records; 0 records nothing. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} mt_stack_tgid SEC(".maps");

/* ---- maps of maps ---- */

struct mt_inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

struct mt_inner mt_inner_a SEC(".maps");
struct mt_inner mt_inner_b SEC(".maps");

/* Slots 0 and 2 hold inner maps (set by libbpf at load); 1 and 3 stay empty. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct mt_inner);
} mt_aom SEC(".maps") = {
	.values = { [0] = &mt_inner_a, [2] = &mt_inner_b },
};

/* Filled from user space with the fds of the inner maps. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct mt_inner);
} mt_hom SEC(".maps");

/* A program array: slot 1 holds fill_lpm (set by libbpf at load), the others stay empty. */
int fill_lpm(void *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (void *));
} mt_progs SEC(".maps") = {
	.values = { [1] = (void *)&fill_lpm },
};

/* ---- maps that are not tables ---- */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} mt_events_rb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} mt_perf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 8);
	__uint(value_size, sizeof(__u64));
} mt_queue SEC(".maps");

/* ---- filling ---- */

static __always_inline void set_name(char *name, const char *text, int n)
{
	for (int i = 0; i < n; i++)
		name[i] = text[i];
}

/*
 * Entry i of mt_hash: 0 is all zeros (empty strings), 1 the maxima (a full-length name with no
 * NUL), 2 the minima (negative everything, unknown enum values), 3 ordinary values with a
 * non-printable byte in the name.
 */
static __always_inline void kinds(struct mt_kinds *v, __u32 i)
{
	if (i == 1) {
		v->u8 = 0xff;
		v->s8 = 127;
		v->u16 = 0xffff;
		v->s16 = 32767;
		v->u32 = 0xffffffff;
		v->s32 = 2147483647;
		v->u64 = ~0ULL;
		v->s64 = 0x7fffffffffffffffLL;
		v->u128 = ~(unsigned __int128)0;
		v->s128 = (__int128)(~(unsigned __int128)0 >> 1);
		v->flag = 1;
		set_name(v->name, "ABCDEFGH", 8);
		v->hist[0] = 0xffffffff;
		v->hist[2] = 1;
		v->grid[0][1] = 32767;
		v->grid[1][0] = -32768;
		v->pairs[1].lo = 0xffff;
		v->pairs[1].hi = -1;
		v->word.whole = 0xffffffff;
		v->nested.depth = 0xffffffff;
		v->nested.inner.hi = 32767;
		v->color = MT_BLUE;
		v->sgn = MT_POS;
		v->wide = MT_WIDE_BIG;
		v->lo = 7;
		v->mid = 511;
		v->neg = 15;
		v->counter = ~0ULL;
		*(__u32 *)&v->fixed = 0xffffffff;
		v->vol = 0xffffffff;
		v->ptr = (void *)0xffffffffffffffffULL;
	} else if (i == 2) {
		v->s8 = -128;
		v->s16 = -32768;
		v->s32 = -2147483647 - 1;
		v->s64 = -0x7fffffffffffffffLL - 1;
		v->s128 = -((__int128)1 << 126) * 2;
		v->u128 = (unsigned __int128)1 << 64;
		set_name(v->name, "a", 2);
		v->hist[1] = 2;
		v->grid[1][1] = -1;
		v->pairs[0].hi = -32768;
		v->word.half.lo = 0x1234;
		v->word.half.hi = -2;
		v->nested.inner.lo = 1;
		v->color = (enum mt_color)5;
		v->sgn = MT_NEG;
		*(__s32 *)&v->sgn = -7;
		v->wide = (enum mt_wide)2;
		v->neg = -16;
		v->mid = 1;
		v->ptr = (void *)0xffff888012345678ULL;
	} else if (i == 3) {
		v->u8 = 42;
		v->s8 = -42;
		v->u16 = 4242;
		v->s16 = -4242;
		v->u32 = 4000000000U;
		v->s32 = -123456789;
		v->u64 = 9007199254740993ULL; /* 2^53 + 1: not a double */
		v->s64 = -9007199254740993LL;
		v->u128 = ((unsigned __int128)0x0123456789abcdefULL << 64) | 0xfedcba9876543210ULL;
		v->s128 = -5;
		v->flag = 1;
		set_name(v->name, "t\tab\x01", 6);
		v->hist[0] = 10;
		v->hist[1] = 20;
		v->hist[2] = 30;
		v->grid[0][0] = -3;
		v->pairs[0].lo = 80;
		v->pairs[0].hi = -80;
		v->word.bytes[0] = 0xaa;
		v->nested.depth = 3;
		v->color = MT_GREEN;
		v->sgn = MT_NEG;
		v->wide = MT_WIDE_SMALL;
		v->lo = 5;
		v->mid = 300;
		v->neg = -3;
		v->counter = 1ULL << 53;
		*(__u32 *)&v->fixed = 77;
		v->vol = 88;
		v->ptr = (void *)0x1000;
	}
}

SEC("syscall")
int fill(void *ctx)
{
	/* Every BTF kind. */
	for (__u32 i = 0; i < 4; i++) {
		struct mt_kinds_key k = { .id = i };
		struct mt_kinds v = {};

		k.tag[0] = 'k';
		k.tag[1] = '0' + i;
		kinds(&v, i);
		bpf_map_update_elem(&mt_hash, &k, &v, BPF_ANY);
	}

	/* Floats: zero, ordinary, negative, extreme. */
	struct mt_floats f = {};
	__u32 fk = 1;

	f.f = 1.5f;
	f.d = -2.25;
	bpf_map_update_elem(&mt_floats, &fk, &f, BPF_ANY);
	fk = 2;
	f.f = -3.4028234663852886e38f;
	f.d = 1e-300;
	bpf_map_update_elem(&mt_floats, &fk, &f, BPF_ANY);

	/* LRU hash and array: edge values of a u64, an s64 and a string. */
	for (__u32 i = 0; i < 4; i++) {
		struct mt_stats s = {};
		__u32 key = i * 100;

		s.calls = i == 1 ? ~0ULL : i * 1000;
		s.delta = i == 2 ? -0x7fffffffffffffffLL - 1 : -(__s64)i;
		if (i == 1)
			set_name(s.comm, "fullname", 8);
		else if (i == 3)
			set_name(s.comm, "nginx", 6);
		bpf_map_update_elem(&mt_lru, &key, &s, BPF_ANY);
		bpf_map_update_elem(&mt_array, &i, &s, BPF_ANY);
	}

	return 0;
}

/*
 * The LPM tries are filled by a raw_tp program run with BPF_PROG_TEST_RUN, not by `fill`: the
 * kernel refuses LPM tries in sleepable programs, and every `syscall` program is sleepable
 * ("Sleepable programs can only use array, hash, ringbuf and local storage maps", 6.18).
 */
SEC("raw_tp")
int fill_lpm(void *ctx)
{
	/* IPv4 prefixes. */
	struct mt_lpm4_key k4 = { .prefixlen = 8, .addr = { 10, 0, 0, 0 } };
	__u32 v4 = 1;

	bpf_map_update_elem(&mt_lpm4, &k4, &v4, BPF_ANY);
	k4.prefixlen = 24;
	k4.addr[1] = 1;
	k4.addr[2] = 2;
	v4 = 2;
	bpf_map_update_elem(&mt_lpm4, &k4, &v4, BPF_ANY);
	k4.prefixlen = 32;
	k4.addr[0] = 255;
	k4.addr[1] = 255;
	k4.addr[2] = 255;
	k4.addr[3] = 255;
	v4 = 0xffffffff;
	bpf_map_update_elem(&mt_lpm4, &k4, &v4, BPF_ANY);
	k4.prefixlen = 0;
	k4.addr[0] = 0;
	k4.addr[1] = 0;
	k4.addr[2] = 0;
	k4.addr[3] = 0;
	v4 = 0;
	bpf_map_update_elem(&mt_lpm4, &k4, &v4, BPF_ANY);

	/* IPv6 prefixes: 2001:db8::/32, 2001:db8::1/128, fe80::1:0:0:1/64, ::/0. */
	struct mt_lpm6_key k6 = { .prefixlen = 32, .addr = { 0x20, 0x01, 0x0d, 0xb8 } };
	__u64 v6 = 1;

	bpf_map_update_elem(&mt_lpm6, &k6, &v6, BPF_ANY);
	k6.prefixlen = 128;
	k6.addr[15] = 1;
	v6 = ~0ULL;
	bpf_map_update_elem(&mt_lpm6, &k6, &v6, BPF_ANY);
	struct mt_lpm6_key k6b = { .prefixlen = 64, .addr = { 0xfe, 0x80 } };

	k6b.addr[11] = 1;
	k6b.addr[15] = 1;
	v6 = 3;
	bpf_map_update_elem(&mt_lpm6, &k6b, &v6, BPF_ANY);
	struct mt_lpm6_key k6c = {};

	v6 = 0;
	bpf_map_update_elem(&mt_lpm6, &k6c, &v6, BPF_ANY);

	/* The LPM trie without BTF: prefix length then 4 address bytes. */
	__u32 raw[2] = { 16, 0x0000a8c0 }; /* 192.168.0.0/16 */
	__u32 rv = 16;

	bpf_map_update_elem(&mt_lpm_raw, raw, &rv, BPF_ANY);
	raw[0] = 12;
	raw[1] = 0x000010ac; /* 172.16.0.0/12 */
	rv = 12;
	bpf_map_update_elem(&mt_lpm_raw, raw, &rv, BPF_ANY);
	return 0;
}

/* Records the kernel stack of each syscall the process in mt_stack_tgid makes. */
SEC("raw_tp/sys_enter")
int grab_stack(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 zero = 0;
	__u32 *tgid = bpf_map_lookup_elem(&mt_stack_tgid, &zero);

	if (!tgid || !*tgid || *tgid != bpf_get_current_pid_tgid() >> 32)
		return 0;
	bpf_get_stackid(ctx, &mt_stack, 0);
	return 0;
}
