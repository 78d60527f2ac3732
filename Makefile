# Thin wrapper over CMake. `make test` is what CI runs (.ci/run).
#   make deps    install exactly the missing Debian packages (no-op when present)
#   make         configure + build (build/)
#   make test    deps + build + ctest, then the suite again under ASan/UBSan
#                in a build with asserts on (-O1), then every fuzz target for
#                FUZZ_TEST_SECONDS on its seeds
#   make test-debug  a Debug build (-O0, asserts on) and its unit and
#                conformance tests (not part of make test: the sanitizer
#                build keeps the asserts)
#   make fuzz    the fuzz targets (clang, libFuzzer) for FUZZ_SECONDS each;
#                FUZZ_MERGE=1 minimises what they found into tests/fuzz/corpus
#   make demo    the main job on shipped data
#   make bench   benchmarks against peers (bench/)
#   make install PREFIX=P   the binary, man page, plugin header and .pc,
#                bash completion and schemas under P (default /usr/local)

JOBS    ?= 2
BUILD   ?= build
ASAN    ?= build-asan
DEBUG   ?= build-debug
FUZZ    ?= build-fuzz
# Seconds per fuzz target: `make fuzz`, and the short run `make test` does
# (tests/fuzz/README.md has the long campaign).
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 3
# What test-debug runs: the unit and conformance tests (asserts on, -O0)
# keep Debug compiling and honest in about 40 s; the e2e suite would add
# about 40 s more (DEBUG_TESTS="-LE 'bench|browser'" runs it all).
DEBUG_TESTS ?= -L 'unit|conformance'
CMAKE_FLAGS ?=
PREFIX  ?= /usr/local

# Debian packages the build, the tests and the demo need.
PKGS = cmake pkg-config gcc make libc6-dev \
       libopenblas-openmp-dev libxml2-dev libxml2-utils libjansson-dev \
       libcriterion-dev libxxhash-dev libxgboost-dev libssl-dev python3 \
       libstemmer-dev python3-numpy libsqlite3-dev libpq-dev postgresql \
       zlib1g-dev gzip python3-jsonschema man-db groff-base \
       clang libclang-rt-dev libomp-dev libopenmpi-dev openmpi-bin
# clang, libclang-rt-dev (on Debian 12 it brings libclang-rt-14-dev, whose
# libclang_rt.fuzzer and ASan/UBSan runtimes the fuzz targets link) and
# libomp-dev (clang's -fopenmp) build the fuzz targets of `make test`.
# The browser test of the HTML report (label browser) renders it in these.
BROWSER_PKGS = chromium
# Only the benchmarks need these (peer implementations and model training).
BENCH_PKGS = python3-xgboost python3-faiss hyperfine time

SUDO := $(shell [ "$$(id -u)" = 0 ] || { command -v sudo >/dev/null && echo sudo; })

.PHONY: all deps bench-deps build test test-debug test-asan test-fuzz fuzz \
	fuzz-build demo bench install clean format

all: build

define install_missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call install_missing,$(PKGS) $(BROWSER_PKGS))

bench-deps: deps
	$(call install_missing,$(BENCH_PKGS))

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DPF_WERROR=ON $(CMAKE_FLAGS)

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

test: deps
	cmake -S . -B $(BUILD) -DPF_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	$(MAKE) test-asan
	$(MAKE) test-fuzz

test-debug:
	cmake -S . -B $(DEBUG) -DPF_WERROR=ON $(CMAKE_FLAGS) -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(DEBUG) -j$(JOBS)
	ctest --test-dir $(DEBUG) --output-on-failure -j$(JOBS) $(DEBUG_TESTS)

# Everything but the tests labelled nosan (tests/tests.cmake: checkers around
# runs other tests make) and the diff and trend runs on PostgreSQL: their SQLite twins
# run the same diff and trend code under the sanitizers, and
# history_postgres the same PostgreSQL backend calls (about a minute saved).
ASAN_SKIP ?= e2e\.(diff|trend)_postgres
# The sanitizer build keeps asserts on (Debug without -O0: -O1, as the
# sanitizers' documentation advises), so it stands for the Debug build too;
# -g1 (line tables: a report still names file:line, for less compile time)
# and no bench/ programs (no test runs them).
test-asan:
	cmake -S . -B $(ASAN) -DPF_WERROR=ON -DPF_SANITIZE=address,undefined \
	  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g1" \
	  -DPF_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN) -j$(JOBS)
	ASAN_OPTIONS=detect_leaks=1 ctest --test-dir $(ASAN) --output-on-failure -j$(JOBS) -LE 'bench|browser|nosan' -E '$(ASAN_SKIP)'

# The fuzz targets (tests/fuzz/): clang, -fsanitize=fuzzer,address,undefined.
fuzz-build:
	cmake -S . -B $(FUZZ) -DCMAKE_C_COMPILER=clang -DPF_FUZZ=ON \
	  -DPF_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)
	cmake --build $(FUZZ) -j$(JOBS) --target pf_fuzz

# A crash, leak, sanitizer report or timeout fails with its reproducer.
test-fuzz: fuzz-build
	FUZZ_FRESH=1 bash tests/fuzz/run.sh $(FUZZ) $(FUZZ_TEST_SECONDS) $(JOBS)

fuzz: deps fuzz-build
	bash tests/fuzz/run.sh $(FUZZ) $(FUZZ_SECONDS) $(JOBS)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

demo: deps build
	@bash scripts/demo.sh $(BUILD)/preflight

bench: bench-deps build
	@for b in bench/*.sh; do echo "== $$b"; bash $$b $(BUILD)/preflight || exit 1; done

format:
	clang-format -i harness/*/*.c harness/*/*.h metrics/*.c metrics/*.h reports/*.c reports/*.h 2>/dev/null || true

clean:
	rm -rf $(BUILD) $(DEBUG) $(ASAN) $(FUZZ) out
