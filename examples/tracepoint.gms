# Any tracepoint is a stream: one generic program copies each event out of the kernel, after the
# process filter and the sampling have run there; the rest of `where` runs in gms.
describe tracepoint sched:sched_switch
# One context switch in ten, the first five, with the probability each was kept with.
sample 10% from tracepoint sched:sched_switch limit 5
# Every file opened in the next second by a process named cat (none, most likely).
from tracepoint syscalls:sys_enter_openat where comm == "cat" for 1s
# What runs where: explain shows the kernel's part and the rest.
explain sample 1% from tracepoint raw_syscalls:sys_enter where pid == 1 and id != 0 limit 20
# gms's own streams: process starts, with their parent, user and first arguments.
from stream exec for 500ms
