# file: a `bpftool map dump -j` file read offline, no root needed.
describe file "examples/data/events.json"
from file "examples/data/events.json" where calls > 100 order by calls desc limit 3
sample 2 from file "examples/data/events.json" weighted by calls seed 9
