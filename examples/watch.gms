# watch: run a query again every second until interrupted (Ctrl-C).
trace syscalls
wait 1s
watch every 1s sample 3 from map events weighted by qps
