# to: a query's result written to a file, in the format its extension names.
trace syscalls
wait 1s
sample 5 from map events seed 3 to "/tmp/gms-example-sample.csv"
from map events order by calls desc limit 3 to "/tmp/gms-example-top.json"
sample 2 from map events seed 3 to "/tmp/gms-example-sample.ndjson"
stop all
