#!/usr/bin/env bash
# The bad-input catalogue: every case of tests/catalogue/cases.tsv starts
# from a small golden set that runs clean (a base), breaks one thing, runs
# preflight and checks
#   - the exit code (2 for bad input, 0 where a warning is the defined
#     behaviour, 1 where a gate or rule fails);
#   - the output (stderr, then stdout) against the case's pattern (for bad
#     input: file:line and what was expected);
#   - no sanitizer report (this test runs in the ASan build too);
#   - nothing lost: every input file is byte-identical afterwards, a run
#     that exits 2 left results.json and report.html as they were, and no
#     temporary (*.tmpXXXXXX) or kept-aside (*.bak*) file remains.
#
# cases.tsv: one case a line, tab-separated:
#   ID  BASE  EXIT  OUTPUT-REGEX  ARGS  MUTATION
# BASE is letor (golden/letor with tests/catalogue/letor), text
# (tests/fixtures/dense with tests/catalogue/text) or eval
# (tests/catalogue/eval). ARGS '-' is the base's command (run -q s.xml,
# run -q t.xml, eval q.txt r.run). MUTATION is shell run in the case's
# directory first, with the helpers below.
# usage: catalogue.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR [ID-REGEX]
set -u
PF=$1 SRC=$2 WORK=$4 ONLY=${5:-}
CAT=$SRC/tests/catalogue
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2

# --- mutation helpers (run in the case directory) ---
# put FILE FORMAT: FILE is FORMAT (printf %b: \t, \n, \0 and \xHH work)
put() { printf '%b' "$2" > "$1"; }
# add FILE FORMAT: FORMAT appended
add() { printf '%b' "$2" >> "$1"; }
# edit FILE SED-SCRIPT: edited in place
edit() { sed -i -e "$2" "$1"; }
# line FILE N FORMAT: line N replaced
line() { awk -v n="$2" -v t="$(printf '%b' "$3")" 'NR == n { print t; next } { print }' "$1" > "$1.new" && mv "$1.new" "$1"; }
# trunc FILE BYTES: FILE truncated to its first BYTES bytes
trunc() { head -c "$2" "$1" > "$1.new" && mv "$1.new" "$1"; }
# bom FILE: a UTF-8 byte order mark put in front
bom() { { printf '\xef\xbb\xbf'; cat "$1"; } > "$1.new" && mv "$1.new" "$1"; }
# nul FILE: a NUL byte put in the middle of line 2
nul() { awk 'NR == 2 { printf "%s", substr($0, 1, 2); printf "%c", 0; print substr($0, 3); next } { print }' "$1" > "$1.new" && mv "$1.new" "$1"; }
# crlf FILE: every line ended with \r\n
crlf() { sed -i -e 's/$/\r/' "$1"; }
# stage ELEMENT: appended to the first stack of the scenario (s.xml or t.xml)
scen() { ls s.xml t.xml 2> /dev/null | head -1; }
# names: the xgb stack's candidates (s.xml) read the names file f.tsv
names() { sed -i -e 's|<candidates file="rank.test" query-file="rank.test.query"/><gbdt|<candidates file="rank.test" query-file="rank.test.query" names="f.tsv"/><gbdt|' s.xml; }
stage() { local f; f=$(scen); awk -v t="$1" '!done && /<\/stack>/ { sub(/<\/stack>/, t "</stack>"); done = 1 } { print }' "$f" > "$f.new" && mv "$f.new" "$f"; }

base() {
	case $1 in
	letor)
		for f in rank.test rank.test.query queries.tsv xgb_pairwise_letor.json lgb_lambdarank_letor.txt; do
			cp "$SRC/golden/letor/$f" .
		done
		cp "$CAT"/letor/* . ;;
	text) cp "$SRC"/tests/fixtures/dense/* . && rm -f README.md && cp "$CAT"/text/* . ;;
	eval) cp "$CAT"/eval/* . ;;
	*) return 1 ;;
	esac
}
defargs() {
	case $1 in letor) echo "run -q s.xml" ;; text) echo "run -q t.xml" ;; eval) echo "eval q.txt r.run" ;; esac
}
# every file but outputs: out/, the case's own files and the error
# junit.xml a run with <outputs dir="."> leaves where its junit would go
sums() { find . -path ./out -prune -o -path ./junit.xml -prune -o -type f ! -name 'case.*' -print0 | sort -z | xargs -0 -r md5sum; }

# one_case ID BASE WANT REGEX ARGS MUTATION: in ./ID, its verdict on stdout
one_case() {
	local id=$1 base=$2 want=$3 regex=$4 args=$5 mutation=$6 rc why left
	mkdir "$id" && cd "$id" || { echo "FAIL $id: duplicate id"; return; }
	base "$base" || { echo "FAIL $id: unknown base '$base'"; return; }
	if [ -n "$mutation" ] && ! (eval "$mutation"); then echo "FAIL $id: mutation failed"; return; fi
	[ "$args" = - ] && args=$(defargs "$base")
	mkdir -p out && echo OLD > out/results.json && echo OLD > out/report.html
	sums > case.before
	# shellcheck disable=SC2086	# ARGS are words
	"$PF" $args > case.out 2> case.err
	rc=$?
	sums > case.after
	why=
	[ "$rc" = "$want" ] || why="exit $rc, want $want"
	[ -z "$why" ] && ! cat case.err case.out | grep -Eq -- "$regex" && why="output lacks /$regex/"
	[ -z "$why" ] && grep -Eq 'Sanitizer|runtime error:' case.err && why="sanitizer report"
	[ -z "$why" ] && ! cmp -s case.before case.after && why="an input changed: $(diff case.before case.after | head -2 | tr '\n' ' ')"
	if [ -z "$why" ] && [ "$rc" = 2 ] && [ "${args%% *}" = run ] &&
	   ! { [ "$(cat out/results.json)" = OLD ] && [ "$(cat out/report.html)" = OLD ]; }; then
		why="exit 2 but results.json or report.html replaced"
	fi
	left=$(find . -name '*.tmp??????' -o -name '*.bak[0-9]*' | head -3 | tr '\n' ' ')
	[ -z "$why" ] && [ -n "$left" ] && why="left behind: $left"
	if [ -z "$why" ]; then
		echo "PASS $id: exit $rc: $(cat case.err case.out | grep -Em1 -- "$regex" | cut -c1-150)"
	else
		echo "FAIL $id: $why"
		sed 's/^/    /' case.err | head -5
	fi
}

# Four cases at a time: a run spends most of its time in fsync.
ids=() dup=0
declare -A seen
TAB=$(printf '\t')
while IFS=$TAB read -r id base want regex args mutation; do
	case $id in '' | '#'*) continue ;; esac
	if [ -n "$ONLY" ] && ! [[ $id =~ $ONLY ]]; then continue; fi
	[ -n "${seen[$id]:-}" ] && { echo "FAIL $id: two cases with this id"; dup=1; continue; }
	seen[$id]=1 ids+=("$id")
	while [ "$(jobs -rp | wc -l)" -ge 4 ]; do wait -n; done
	( one_case "$id" "$base" "$want" "$regex" "$args" "${mutation:-}" > "$id.verdict" 2>&1 ) &
done < "$CAT/cases.tsv"
wait
fail=$dup
for id in "${ids[@]}"; do
	cat "$id.verdict"
	grep -q '^PASS' "$id.verdict" || fail=1
done
echo "${#ids[@]} cases"
[ "${#ids[@]}" -gt 0 ] || { echo "FAIL: no case ran"; exit 1; }
exit $fail
