# A first script: trace syscalls for two seconds, then look at the busiest processes.
trace syscalls
wait 2s
sample 5 from map events weighted by qps seed 7
sample 3 from map events
stop all
