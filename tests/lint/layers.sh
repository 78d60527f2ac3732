#!/usr/bin/env bash
# The arrows between harness/'s folders run one way (README "Layout"):
# a folder includes only folders below it in this list, stages/ reads
# nothing of load/ but the golden set's read-only view, metrics/ includes
# nothing of the project, reports/ only metrics/, and harness/ itself
# holds folders only. Prints every include that breaks a rule.
# usage: layers.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
SRC=$2 WORK=${4:-$(mktemp -d)}
mkdir -p "$WORK"
cd "$SRC" || exit 2
order="cli history decide analysis check engine stages text model load util"
bad=0
for f in harness/*; do
	[ -d "$f" ] || { echo "FAIL harness/ holds a file: $f"; bad=1; }
done
# every "file:#include "inc"" line, judged in one awk pass
find harness metrics reports -name '*.[ch]' | sort | xargs grep -H '^#include "' |
	sed 's/^\([^:]*\):#include "\([^"]*\)".*/\1 \2/' > "$WORK/includes.txt"
awk -v order="$order" '
BEGIN { n = split(order, o, " "); for (i = 1; i <= n; i++) rank[o[i]] = i }
{
	f = $1; inc = $2
	split(f, fp, "/"); split(inc, ip, "/")
	top = fp[1]; from = fp[2]; itop = ip[1]; ito = ip[2]
	if (top == "metrics") { if (itop != "metrics") fail(f " includes " inc ": metrics/ is pure"); next }
	if (top == "reports") { if (itop == "harness") fail(f " includes " inc ": reports/ reads no harness/"); next }
	if (itop != "harness" || ito == from) next
	if (!(from in rank) || !(ito in rank)) fail(f " includes " inc ": folder not in the layer list")
	else if (rank[ito] <= rank[from]) fail(f " includes " inc ": " from "/ is below " ito "/")
	else if (from == "stages" && ito == "load" && inc != "harness/load/golden.h") fail(f " includes " inc ": stages/ reads only load/golden.h")
}
function fail(m) { print "FAIL " m; bad = 1 }
END { exit bad }' "$WORK/includes.txt" || bad=1
# No header includes itself back through others (tsort finds a loop).
edges=$(find harness -name '*.h' | sort | xargs grep -H '^#include "harness/' |
	sed 's/^\([^:]*\):#include "\([^"]*\)".*/\1 \2/')
if ! echo "$edges" | tsort > /dev/null 2> "$WORK/loop.txt"; then
	echo "FAIL headers include each other in a circle:"; cat "$WORK/loop.txt"; bad=1
fi
[ $bad = 0 ] && echo "PASS layers: every include points down ($order), no header circle"
exit $bad
