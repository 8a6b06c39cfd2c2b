// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * uapi: not a program, never loaded. Its BTF describes the kernel UAPI types gms reads with
 * bpf_obj_get_info_by_fd (struct bpf_map_info, bpf_prog_info, bpf_link_info) and the enums that
 * name map, program and link types, as this build's vmlinux.h declares them; src/bpf/uapi.ts
 * lays those structs out from it. A UAPI struct only ever grows at its end (the kernel fills
 * as much of it as both sides know), so these layouts hold on older and newer kernels alike.
 * Reading them from the running kernel's BTF instead cost every gms start about 20 ms (5 MiB of
 * vmlinux BTF read and indexed to find three types).
 */
#include "vmlinux.h"

#define KEEP __attribute__((used))

struct bpf_map_info gms_map_info KEEP;
struct bpf_prog_info gms_prog_info KEEP;
struct bpf_link_info gms_link_info KEEP;
enum bpf_map_type gms_map_type KEEP;
enum bpf_prog_type gms_prog_type KEEP;
enum bpf_link_type gms_link_type KEEP;
