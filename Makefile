# Two commands on a fresh machine: `make site` and `make test` (see README).
VENV    := .venv
PY      := $(VENV)/bin/python
BRIEF   := $(VENV)/bin/briefing
STAMP   := $(VENV)/.installed

.PHONY: setup site check generate serve test golden bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	# pip's output goes to a log, shown only if the install fails (so `make site` prints no noise)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]' >$(VENV)/pip.log 2>&1 \
		|| { cat $(VENV)/pip.log; exit 1; }
	touch $@

setup: $(STAMP)

site: setup            ## check, generate site_src/, build site/ (mkdocs build --strict)
	$(BRIEF) build --strict

check: setup           ## validate content/ only
	$(BRIEF) check

generate: setup        ## write site_src/ only
	$(BRIEF) generate

serve: setup           ## live preview on http://127.0.0.1:8000, regenerating on edits
	$(BRIEF) serve

test: setup            ## every test (browser tests need /usr/bin/chromium)
	$(PY) -m pytest

golden: setup          ## rewrite the golden pages under tests/golden/ after an intended change
	UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/test_golden.py

bench: setup           ## benchmarks (see bench/)
	$(PY) bench/run.py

clean:
	rm -rf site site_src .site.new .site_src.new
