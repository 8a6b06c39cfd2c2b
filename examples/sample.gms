# sample: fair samples of a live map: by percentage, by count, weighted, seeded, filtered.
trace syscalls
wait 2s
sample 1% from map events weighted by qps
sample 5 from map events seed 7
sample 50% from map events where calls > 10 seed 1
sample 3 from map events weighted by calls * (1 - errors / calls) where comm != "gms" seed 7
stop syscalls
