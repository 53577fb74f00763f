"""The regressions that once went unnoticed, each applied to a scratch copy of the repository
with the tests that must now catch it: `.venv/bin/python tests/known_breaks.py [name prefix …]`.

Every line should say CAUGHT. A complement to `make mutate` (mutmut), which makes such breaks
by the thousand but not these cross-module ones."""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
REPO = Path(__file__).resolve().parent.parent
BREAKS = [
 ("1a excerpt from any source", "generator/provenance.py", "            if needle not in normalized[sid]:", "            if not any(needle in t for t in normalized.values()):", "tests/test_promises.py"),
 ("1b quote/date words from any source", "generator/provenance.py", "                cited_texts.append(normalized[sid])", "                cited_texts.extend(normalized.values())", "tests/test_promises.py"),
 ("2 case-insensitive", "generator/provenance.py", '    return " ".join(text.translate(_TYPOGRAPHY).split())', '    return " ".join(text.translate(_TYPOGRAPHY).split()).casefold()', "tests/test_promises.py"),
 ("3 multi-kind fields unchecked", "generator/index.py", "                if hit is None or hit.kind not in kinds:", "                if hit is None or (len(kinds) == 1 and hit.kind not in kinds):", "tests/test_promises.py"),
 ("4 last file wins", "generator/index.py", "            docs.setdefault(d.id, d)", "            docs[d.id] = d", "tests/test_promises.py tests/test_validate.py"),
 ("5 dup keys in list items", "generator/load.py", "            if value in frame[3]:", "            if value in frame[3] and len(path) < 2:", "tests/test_promises.py tests/test_load.py"),
 ("6 serve keeps old entries", "generator/serve.py", "                drop = rebuilt | cls.removed_urls", "                drop = cls.removed_urls", "tests/test_promises.py"),
 ("7 cache ignores schemas", "generator/cache.py", '    for path in sorted([*here.rglob("*.py"), *here.glob("schemas/*.json")]):', '    for path in sorted([*here.rglob("*.py")]):', "tests/test_promises.py"),
 ("8 transliterations dropped", "generator/names.py", "        candidates += transliterations(native, lang)", "        pass", "tests/test_names.py tests/test_stories.py"),
 ("9 referenced-by cut", "generator/render/record.py", "        if key in seen or ln.field == \"sources\":", "        if key in seen or ln.field == \"sources\" or src.kind in grouped:", "tests/test_promises.py tests/test_site.py"),
 ("10 never fork", "generator/parallel.py", '    if workers <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():', '    if True:', "tests/test_promises.py tests/test_parallel.py"),
 ("11 delete old first", "generator/write.py", "        os.rename(out_dir, old_dir)\n    try:", "        shutil.rmtree(out_dir)\n    try:", "tests/test_promises.py tests/test_write.py"),
]
only = sys.argv[1:] 
for name, rel, old, new, tests in BREAKS:
    if only and not any(name.startswith(o) for o in only):
        continue
    scratch = Path(tempfile.gettempdir()) / "briefing-breaks"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(REPO, scratch, ignore=shutil.ignore_patterns(".venv", ".git", "site", "site_src", ".cache", "bench", "__pycache__", ".site*"))
    path = scratch / rel
    text = path.read_text()
    assert text.count(old) == 1, (name, text.count(old))
    path.write_text(text.replace(old, new))
    r = subprocess.run([str(REPO / ".venv/bin/python"), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests.split()],
                       cwd=scratch, env={"PYTHONPATH": str(scratch), "PATH": "/usr/bin:/bin", "HOME": "/root"}, capture_output=True, text=True)
    last = [l for l in r.stdout.splitlines() if l.strip()][-1:]
    failed = [l for l in r.stdout.splitlines() if l.startswith("FAILED")][:1]
    print(f"{name:34} {'CAUGHT' if r.returncode != 0 else 'MISSED'}  {last} {failed}", flush=True)
