# let and set: name a value once, choose the seed and the output format for what follows.
let busy = 10
let slow = 1ms
set seed 42
set format csv
trace syscalls
wait 1s
sample 3 from map events where calls > busy and max_ns > slow
set format json
from map events where calls > busy order by calls desc limit 2
stop all
