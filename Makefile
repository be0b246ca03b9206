# Thin wrapper: every target installs what is missing, configures and builds with both cores.
PRESET ?= default
BUILD  := build/$(PRESET)
AOEH   := $(BUILD)/cli/aoeh

.PHONY: all deps configure build demo test asan bench fuzz clean help

all: build

help:
	@echo "make demo   install deps, build, run the main job and print where its report is"
	@echo "make test   install deps, build, run every test (GoogleTest, pytest, fuzz smoke, live)"
	@echo "make bench  run the Google Benchmark micro-benchmarks"
	@echo "make fuzz   run the libFuzzer targets for 60 s each"
	@echo "make asan   build and test under AddressSanitizer + UndefinedBehaviorSanitizer"

deps:
	@bash scripts/deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET)

demo: build
	@bash scripts/demo.sh $(BUILD)

test: build
	@ctest --preset $(PRESET)

asan:
	@$(MAKE) --no-print-directory test PRESET=asan

bench: build
	@bash scripts/bench.sh $(BUILD)

fuzz: build
	@bash fuzz/run.sh $(BUILD) 60

clean:
	rm -rf build
