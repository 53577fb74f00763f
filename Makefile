# Two commands on a fresh machine: `make site` and `make test` (see README).
VENV    := .venv
PY      := $(VENV)/bin/python
BRIEF   := $(VENV)/bin/briefing
STAMP   := $(VENV)/.installed
MUTMUT  := $(VENV)/bin/mutmut
MSTAMP  := $(VENV)/.installed-mutate

.PHONY: setup site check generate serve test golden bench mutate clean

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

# Two workers, one per core; each test file runs whole on one worker (its module fixtures are built
# once), the longest files first (tests/conftest.py, LONGEST_FILES).
test: setup            ## every test (browser tests need /usr/bin/chromium)
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder

golden: setup          ## rewrite the golden pages under tests/golden/ after an intended change
	UPDATE_GOLDEN=1 $(PY) -m pytest -q tests/test_golden.py

bench: setup           ## benchmarks (see bench/): builds at 1,000-10,000 records, then publishing an edit
	$(PY) bench/run.py
	$(PY) bench/publish.py

$(MSTAMP): $(STAMP)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test,mutate]' >$(VENV)/pip.log 2>&1 \
		|| { cat $(VENV)/pip.log; exit 1; }
	touch $@

# Mutation testing (configured in pyproject.toml, [tool.mutmut]); not part of `make test`. A fresh run
# every time, on every core (about 25 minutes on 2 cores). `$(MUTMUT) show <name>` shows a mutant.
# (.pyc files are written: without them every mutant would compile the mutated modules anew.)
mutate: setup $(MSTAMP) ## mutation testing of the modules that carry the promises (see README)
	rm -rf mutants
	start=$$(date +%s); env -u PYTHONDONTWRITEBYTECODE $(MUTMUT) run >$(VENV)/mutmut.log 2>&1 \
		|| { tail -c 3000 $(VENV)/mutmut.log; exit 1; }; \
	echo "mutmut: $$(( $$(date +%s) - start )) s"
	$(MUTMUT) results --all true | awk -F': ' '{ n++; s[$$2]++ } END { \
		for (k in s) printf "  %-14s %5d\n", k, s[k]; \
		left = s["survived"] + s["no tests"] + s["suspicious"]; \
		printf "  %-14s %5d\n  not killed: %d (%.1f%%); README, \"Mutation testing\", says why each is harmless\n", \
			"mutants", n, left, 100 * left / n }'
	@$(MUTMUT) results | grep -v ': killed' || true

clean:
	rm -rf site site_src .site.new .site_src.new .site.spare .site_src.undo mutants
