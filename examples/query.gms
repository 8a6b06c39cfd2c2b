# query: a full scan with no sampling: filter, compute, sort and cut.
trace syscalls
wait 1s
from map events where calls > 0 order by calls desc limit 5
select pid, comm, calls, errors / calls as err_rate, total_ns / calls as avg_ns from map events where calls >= 10 order by err_rate desc, calls desc limit 5
stop all
