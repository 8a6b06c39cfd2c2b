/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Helpers the probes share. */
#ifndef GMS_COMM_H
#define GMS_COMM_H

/* same_comm: whether two task names (NUL-ended within 16 bytes) are equal. */
static __always_inline bool same_comm(const char *a, const char *b)
{
	for (int i = 0; i < 16; i++) {
		if (a[i] != b[i])
			return false;
		if (!a[i])
			break;
	}
	return true;
}

#endif
