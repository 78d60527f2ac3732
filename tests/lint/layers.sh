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
rank() { local i=0; for f in $order; do [ "$f" = "$1" ] && { echo $i; return; }; i=$((i+1)); done; echo -1; }
bad=0
for f in harness/*; do
	[ -d "$f" ] || { echo "FAIL harness/ holds a file: $f"; bad=1; }
done
for f in $(find harness metrics reports -name '*.[ch]' | sort); do
	top=${f%%/*}
	from=$(echo "$f" | cut -d/ -f2)
	while IFS= read -r inc; do
		itop=${inc%%/*}
		ito=$(echo "$inc" | cut -d/ -f2)
		case $top in
		metrics) [ "$itop" = metrics ] || { echo "FAIL $f includes $inc: metrics/ is pure"; bad=1; }; continue ;;
		reports) [ "$itop" = harness ] && { echo "FAIL $f includes $inc: reports/ reads no harness/"; bad=1; }; continue ;;
		esac
		[ "$itop" = harness ] || continue
		[ "$ito" = "$from" ] && continue
		rf=$(rank "$from") ri=$(rank "$ito")
		if [ "$rf" -lt 0 ] || [ "$ri" -lt 0 ]; then
			echo "FAIL $f includes $inc: folder not in the layer list"; bad=1
		elif [ "$ri" -le "$rf" ]; then
			echo "FAIL $f includes $inc: $from/ is below $ito/"; bad=1
		elif [ "$from" = stages ] && [ "$ito" = load ] && [ "$inc" != harness/load/golden.h ]; then
			echo "FAIL $f includes $inc: stages/ reads only load/golden.h"; bad=1
		fi
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
# No header includes itself back through others (tsort finds a loop).
edges=$(for f in $(find harness -name '*.h' | sort); do
	sed -n 's/^#include "\(harness\/[^"]*\)".*/\1/p' "$f" | while read -r i; do echo "$f $i"; done
done)
if ! echo "$edges" | tsort > /dev/null 2> "$WORK/loop.txt"; then
	echo "FAIL headers include each other in a circle:"; cat "$WORK/loop.txt"; bad=1
fi
[ $bad = 0 ] && echo "PASS layers: every include points down ($order), no header circle"
exit $bad
