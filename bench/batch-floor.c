// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The floor for gms's batch read: a plain C loop of bpf_map_lookup_batch over a map id. */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#ifndef BATCH
#define BATCH 4096
#endif

int main(int argc, char **argv)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), count, batch = BATCH, total = 0;
	__u64 in = 0, out = 0;
	struct timespec a, b;
	void *keys, *values;
	int fd, err;
	void *inp = NULL;

	if (argc < 2)
		return 2;
	fd = bpf_map_get_fd_by_id(atoi(argv[1]));
	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		return 1;
	keys = malloc((size_t)batch * info.key_size);
	values = malloc((size_t)batch * info.value_size);
	clock_gettime(CLOCK_MONOTONIC, &a);
	do {
		count = batch;
		err = bpf_map_lookup_batch(fd, inp, &out, keys, values, &count, NULL);
		total += count;
		in = out;
		inp = &in;
	} while (!err);
	clock_gettime(CLOCK_MONOTONIC, &b);
	if (errno != ENOENT && err)
		return 1;
	printf("%u %.3f\n", total, (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6);
	close(fd);
	return 0;
}
