#!/usr/bin/env bash
# The README's scenario examples run as written on shipped data (issue 19):
# every ```xml block of README.md that is a whole <scenario> reading from
# ../golden/ is saved as scenarios/readme-N.xml beside a golden/ that is
# the source tree's, checked with `preflight run --check` (schema, every
# file and model opened) and then run; its report.html must be written.
# A whole scenario that reads none of the shipped data (a template for
# the reader's own files) is named and left out; at least one must run.
# usage: readme_scenarios.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
rm -rf "$WORK"; mkdir -p "$WORK/scenarios"; cd "$WORK" || exit 2
ln -s "$SRC/golden" golden
python3 - "$SRC/README.md" <<'PY' || exit 2
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
n = 0
for b in re.findall(r"```xml\n(.*?)```", s, re.S):
    if not b.lstrip().startswith("<scenario"):
        continue
    n += 1
    name = "scenarios/readme-%d%s.xml" % (n, "" if "../golden/" in b else "-own-data")
    open(name, "w", encoding="utf-8").write(b)
PY
fail=0 ran=0
for x in scenarios/readme-*.xml; do
	case $x in *-own-data.xml) echo "SKIP $x: reads the reader's own files, not shipped data"; continue ;; esac
	rm -rf out
	if ! "$PF" run --check "$x" > check.out 2>&1; then
		echo "FAIL $x --check: $(head -3 check.out)"; fail=1; continue
	fi
	"$PF" run --quiet "$x" > run.out 2>&1
	rc=$?
	if [ $rc -le 1 ] && [ -n "$(find out -name report.html 2> /dev/null)" ]; then
		echo "PASS $x runs as written (exit $rc)"; ran=$((ran + 1))
	else
		echo "FAIL $x: exit $rc $(head -3 run.out)"; fail=1
	fi
done
[ $ran -ge 1 ] || { echo "FAIL no README scenario ran"; fail=1; }
exit $fail
