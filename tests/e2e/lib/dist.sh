# Sourced by tests/e2e/dist_*.sh: dist_same A B WHAT compares the outputs
# of two runs of one scenario written to the same outputs path (run files
# and results.json name it), folders A and B, byte for byte after removing
# only what differs between two identical runs on two machines:
#   results.json  the "threads" member (OpenMP threads of the writer);
#   junit.xml     the time=, timestamp= and hostname= attributes and the
#                 seconds in <system-out> ("..., 3 stacks, 0.4 s; ...");
#   report.html   the <span id="generated"> (time, seconds, threads) and
#                 the "Command:" line (merge's is `preflight merge ...`).
# Everything else — every metric value, statistic, importance, attribution
# and interleaving number, every run file — must be the same bytes.
dist_norm() {
	case $1 in
	*/results.json) sed -E '/^ *"threads": [0-9]+,$/d' "$1" ;;
	*/junit.xml) sed -E 's/ (time|timestamp|hostname)="[^"]*"//g; s/, [0-9]+\.[0-9] s; verdict:/, S s; verdict:/' "$1" ;;
	*/report.html) sed -E 's|<span id="generated">[^<]*</span>|<span id="generated"></span>|; s|^<p>Command: <code>.*</code></p>$|<p>Command: </p>|' "$1" ;;
	*) cat "$1" ;;
	esac
}

dist_same() {
	local a=$1 b=$2 what=$3 f bad=0
	[ "$(cd "$a" && ls)" = "$(cd "$b" && ls)" ] || { echo "FAIL $what: other files: $(ls "$a") / $(ls "$b")"; return 1; }
	for f in "$a"/*; do
		f=${f##*/}
		if ! cmp -s <(dist_norm "$a/$f") <(dist_norm "$b/$f"); then
			echo "FAIL $what: $f differs"
			diff <(dist_norm "$a/$f") <(dist_norm "$b/$f") | head -6
			bad=1
		fi
	done
	# the normalisation removed what it says, nothing more
	for f in results.json junit.xml report.html; do
		[ "$(diff <(cat "$a/$f") <(dist_norm "$a/$f") | grep -c '^[<>]')" -le 8 ] ||
		    { echo "FAIL $what: the normalisation of $f removed too much"; bad=1; }
	done
	return $bad
}
