# watch: run a query again every second until interrupted (Ctrl-C).
trace syscalls
watch every 1s sample 3 from map events weighted by qps
