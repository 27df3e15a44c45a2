# Two commands matter: `make run` (demo server on :8080) and `make test`.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS  ?= $(shell nproc)
PORT  ?= 8080

FUZZ_BUILD ?= build-fuzz

.PHONY: setup build asan fuzz web run test bench format clean

setup:
	bash scripts/setup.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: setup $(BUILD)/build.ninja web
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/build.ninja:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSB_SANITIZE=ON -DSB_BUILD_BENCH=OFF

# Unit and API tests again under AddressSanitizer + UBSan.
asan: setup $(ASAN_BUILD)/build.ninja web
	cmake --build $(ASAN_BUILD) -j $(JOBS)

$(FUZZ_BUILD)/build.ninja:
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSB_FUZZ=ON

# libFuzzer targets (clang, ASan + UBSan), each run for a bounded time by `make test`.
fuzz: setup $(FUZZ_BUILD)/build.ninja
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzzers

web:
	cd web && node build.mjs

run: build
	$(BUILD)/switchboard serve --port $(PORT) --data-dir ./data --web-root web/dist --demo

test: build asan fuzz
	cd web && npm run typecheck
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L sanitized
	cd $(FUZZ_BUILD) && ctest --output-on-failure -j $(JOBS) -L fuzz

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'bench/*.cc')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) web/dist
