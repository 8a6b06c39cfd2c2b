# sched: how long runnable tasks wait for a CPU, per process and as a log2 histogram.
trace sched
wait 1s
from map runq order by max_ns desc limit 5
from map runq_hist where count > 0
stop sched
