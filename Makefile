# gms: `make run` and `make test` each do the whole set-up first (idempotent, quick when done).
SHELL := /bin/bash
BUN := node_modules/.bin/bun
BUILD := build
APT_PACKAGES := libbpf1 libbpf-dev linux-libc-dev clang llvm bpftool bpftrace procps util-linux
BPF_SRC := $(wildcard bpf/*.bpf.c)
BPF_OBJ := $(patsubst bpf/%.bpf.c,$(BUILD)/%.bpf.o,$(BPF_SRC))
TEST_BPF_SRC := $(wildcard test/bpf/*.bpf.c)
TEST_BPF_OBJ := $(patsubst test/bpf/%.bpf.c,$(BUILD)/test/%.bpf.o,$(TEST_BPF_SRC))
BENCH_BPF_OBJ := $(patsubst bench/bpf/%.bpf.c,$(BUILD)/bench/%.bpf.o,$(wildcard bench/bpf/*.bpf.c))
TS_SRC := $(shell find src grammar -name '*.ts' ! -name '*.test.ts' 2>/dev/null)
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -I$(BUILD) -Ibpf -Wall -Werror

.PHONY: all setup deps apt npm run test bench clean

all: $(BUILD)/gms $(BUILD)/grammar.html

# Debian packages: apt-get only when one is missing.
apt:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# npm packages from the lock file; the stamp makes a second run instant.
npm: node_modules/.stamp
node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

deps: apt npm

$(BUILD)/vmlinux.h: | apt
	@mkdir -p $(BUILD)
	bpftool btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

# Syscall numbers to names (x86-64), from the kernel's own header: the syscalls probe's per-syscall
# map holds numbers, gms shows names.
$(BUILD)/syscall-names.json: | apt
	@mkdir -p $(BUILD)
	awk '/^#define __NR_[a-z0-9_]+ [0-9]+$$/ { sub("__NR_", "", $$2); printf "%s\"%s\": \"%s\"", (n++ ? ",\n" : "{\n"), $$3, $$2 } END { print "\n}" }' \
	  /usr/include/x86_64-linux-gnu/asm/unistd_64.h > $@.tmp && mv $@.tmp $@

$(BUILD)/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h) $(BUILD)/vmlinux.h | apt
	clang $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/test/%.bpf.o: test/bpf/%.bpf.c $(BUILD)/vmlinux.h | apt
	@mkdir -p $(BUILD)/test
	clang $(BPF_CFLAGS) -Itest/bpf -c $< -o $@

$(BUILD)/bench/%.bpf.o: bench/bpf/%.bpf.c $(BUILD)/vmlinux.h | apt
	@mkdir -p $(BUILD)/bench
	clang $(BPF_CFLAGS) -c $< -o $@

# One executable with the BPF objects embedded (imported with { type: "file" }); --bytecode
# ships precompiled JavaScript, which halves start-up (75 ms -> 35 ms here). The second entry
# point is the worker thread that reads the second half of large hash maps.
$(BUILD)/gms: $(TS_SRC) $(BPF_OBJ) $(BUILD)/syscall-names.json node_modules/.stamp
	$(BUN) build --compile --bytecode --minify-syntax src/cli.ts src/bpf/read-worker.ts --outfile $@

# The whole language at a glance: Chevrotain's syntax diagrams, self-contained (no network).
$(BUILD)/grammar.html: $(wildcard grammar/*.ts) node_modules/.stamp
	@mkdir -p $(BUILD)
	$(BUN) grammar/diagrams.ts $@

setup: deps $(BUILD)/gms $(BUILD)/grammar.html $(TEST_BPF_OBJ)

run: deps $(BUILD)/gms
	@$(BUILD)/gms --demo

test: setup
	$(BUN) test --timeout 60000

$(BUILD)/bench/batch-floor: bench/batch-floor.c | apt
	@mkdir -p $(BUILD)/bench
	cc -O2 -o $@ $< -lbpf

bench: setup $(BENCH_BPF_OBJ) $(BUILD)/bench/batch-floor
	$(BUN) bench/run.ts
	$(BUN) bench/map-read.ts
	$(BUN) bench/sampling.ts
	$(BUN) bench/probes.ts
	$(BUN) bench/prompt.ts

clean:
	rm -rf $(BUILD)
