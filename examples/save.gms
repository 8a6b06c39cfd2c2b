# save: a snapshot of a map (entries, layout, info), read back offline with `file`, no root needed.
trace syscalls
wait 1s
save map events to "/tmp/gms-example-events.json"
stop all
describe file "/tmp/gms-example-events.json"
from file "/tmp/gms-example-events.json" order by calls desc limit 3
