# Smelter: the two commands a new user needs are `make run` and `make test`.
# Every target installs what is missing first (scripts/install-deps.sh).

JOBS      ?= $(shell nproc)
BUILD     ?= build
ASAN_BUILD = build-asan
DEMO_LAKE ?= $(BUILD)/demo-lake
SMELTER    = $(BUILD)/smelter

.PHONY: all deps build run test test-asan bench fuzz clean help

all: build

help:
	@echo "make run        install deps, build, run the pipeline on examples/, search it"
	@echo "make test       install deps, build, run the whole test suite (and each fuzzer briefly)"
	@echo "make test-asan  the test suite under AddressSanitizer + UBSan"
	@echo "make bench      benchmarks against other tools (results in docs/benchmarks.md)"
	@echo "make fuzz       build the libFuzzer harnesses (clang) and run each briefly (docs/fuzzing.md)"
	@echo "make clean      remove build folders"

deps:
	@scripts/install-deps.sh

$(BUILD)/Makefile: CMakeLists.txt | deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: deps $(BUILD)/Makefile
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@rm -rf $(DEMO_LAKE)
	@$(SMELTER) --lake $(DEMO_LAKE) init
	@$(SMELTER) --lake $(DEMO_LAKE) ingest examples/
	@$(SMELTER) --lake $(DEMO_LAKE) run
	@echo
	@echo '$$ smelter search "how does the lake keep raw files"'
	@$(SMELTER) --lake $(DEMO_LAKE) search "how does the lake keep raw files" -k 3
	@echo
	@echo "The lake is in $(DEMO_LAKE). Try: $(SMELTER) --lake $(DEMO_LAKE) status"

# The test suite, then every fuzz harness for a few seconds (CI mode; `make
# fuzz` or FUZZ_SECONDS=3600 fuzz/run.sh for a real hunt, docs/fuzzing.md).
FUZZ_CI_SECONDS ?= 3

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	@FUZZ_SECONDS=$(FUZZ_CI_SECONDS) fuzz/run.sh

test-asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSMELTER_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
		ctest --output-on-failure -j $(JOBS)

bench: build
	@bench/run-all.sh $(BUILD)

fuzz: deps
	@fuzz/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
