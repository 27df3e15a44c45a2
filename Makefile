# Two commands matter: `make run` (demo server on :8080) and `make test`.
BUILD ?= build
ASAN_BUILD ?= build-asan
JOBS  ?= $(shell nproc)
PORT  ?= 8080

.PHONY: setup build asan web run test bench format clean

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

web:
	cd web && node build.mjs

run: build
	$(BUILD)/switchboard serve --port $(PORT) --data-dir ./data --web-root web/dist --demo

test: build asan
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L sanitized

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'bench/*.cc')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) web/dist
