# estimate: totals from a sample, with standard errors and 95% intervals.
trace syscalls
wait 2s
estimate sum(calls), count(), avg(max_ns) from map events using sample 50% seed 11
estimate sum(calls) as calls from map events where calls > 0 using sample 5 weighted by calls seed 11
stop all
