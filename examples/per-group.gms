# per: a stratified sample, the same number of rows from every group.
trace syscalls
wait 1s
sample 1 per comm from map events weighted by calls seed 3
stop all
