# show and describe: what the kernel holds, and a map's layout from its BTF.
trace syscalls
set stats on
wait 200ms
show probes
show maps where name == "events"
show programs where name ~ "^on_" order by id
describe map events
stop all
