/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Constants every probe and its shared types use; no code, so any header can include it. */
#ifndef GMS_H
#define GMS_H

/* Room for a task name, NUL included: the kernel's TASK_COMM_LEN. */
#define GMS_COMM_LEN 16

#endif
