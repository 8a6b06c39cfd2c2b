# trace options: sample and filter in the kernel; every counter then says how it was sampled.
trace syscalls sample 50% where comm != "gms"
wait 1s
sample 3 from map events weighted by calls seed 5
trace syscalls
stop all
