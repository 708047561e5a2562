# Quick start: `make run` (set up, index the bundled corpus if needed, serve) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
HOST   ?= 127.0.0.1
CORPUS ?= corpus
INDEX  ?= index

.PHONY: setup run index test screenshots lint format bench bench-quick clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

index: setup
	$(BIN)/baogao index $(CORPUS) --index $(INDEX)

run: setup
	@$(BIN)/baogao status --index $(INDEX) >/dev/null 2>&1 || $(BIN)/baogao index $(CORPUS) --index $(INDEX)
	$(BIN)/baogao serve --index $(INDEX) --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest -q -p no:cacheprovider --durations=15

# Refresh the README's images: the browser tests, saving their screenshots to docs/screenshots.
screenshots: setup
	BAOGAO_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q -p no:cacheprovider -m browser tests

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python tools/check_format_names.py

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup
	$(BIN)/python -m bench --sizes 50000,200000,1000000
	$(BIN)/python -m bench.kwic --paragraphs 200000
	$(BIN)/python -m bench.studies --paragraphs 200000
	$(BIN)/python -m bench.keywords --paragraphs 200000
	$(BIN)/python -m bench.segments --paragraphs 200000
	$(BIN)/python -m bench.contention --paragraphs 200000

bench-quick: setup
	$(BIN)/python -m bench --sizes 20000 --quick
	$(BIN)/python -m bench.kwic --paragraphs 20000 --runs 5
	$(BIN)/python -m bench.studies --paragraphs 20000 --quick
	$(BIN)/python -m bench.keywords --paragraphs 20000 --reps 5
	$(BIN)/python -m bench.segments --paragraphs 20000
	$(BIN)/python -m bench.contention --paragraphs 20000 --seconds 10 --rounds 1

clean:
	rm -rf $(VENV) build *.egg-info
