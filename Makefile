# Two commands matter: `make run` (demo server on :8080) and `make test`.
BUILD ?= build
JOBS  ?= $(shell nproc)
PORT  ?= 8080

.PHONY: setup build web run test bench format clean

setup:
	bash scripts/setup.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: setup $(BUILD)/build.ninja web
	cmake --build $(BUILD) -j $(JOBS)

web:
	cd web && node build.mjs

run: build
	$(BUILD)/switchboard serve --port $(PORT) --data-dir ./data --web-root web/dist --demo

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'bench/*.cc')

clean:
	rm -rf $(BUILD) web/dist
