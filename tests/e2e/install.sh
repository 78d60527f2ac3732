#!/usr/bin/env bash
# `cmake --install BUILD --prefix P` and `make install PREFIX=P` install the
# binary, the man page, the plugin header with its pkg-config file, bash
# completion, the schemas and the licence; a plugin builds from the
# installed header alone (pkg-config --cflags preflight) and the installed
# binary runs a shipped scenario with it, scoring exactly as the linear
# stage on the same weights; the man page renders without a warning and
# covers every subcommand and every option their usage texts list; the
# completion script completes subcommands, options and stage names.
# usage: install.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
B=$(dirname "$PF")
[ -f "$B/cmake_install.cmake" ] || { echo "SKIP: $B is not a CMake build folder"; exit 77; }
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
fail=0
pass() { echo "PASS $*"; }
bad() { echo "FAIL $*"; fail=1; }
P=$WORK/prefix

cmake --install "$B" --prefix "$P" > install.log 2>&1 || { bad "cmake --install: $(tail -3 install.log)"; exit 1; }
want="bin/preflight share/man/man1/preflight.1 include/preflight/stage_abi.h lib/pkgconfig/preflight.pc
share/bash-completion/completions/preflight share/preflight/schemas/results.schema.json
share/preflight/schemas/diff.schema.json share/doc/preflight/LICENSE"
missing=$(for f in $want; do [ -f "$P/$f" ] || echo "$f"; done)
[ -z "$missing" ] && pass "cmake --install --prefix: $(echo $want | wc -w) files in place" || bad "not installed: $missing"
[ -x "$P/bin/preflight" ] && "$P/bin/preflight" version | grep -q '^preflight [0-9]' &&
	pass "the installed binary runs: $("$P/bin/preflight" version)" || bad "installed binary"
# `make -o build` takes the build as done: the test builds nothing
if make -s -C "$SRC" -o build install BUILD="$B" PREFIX="$WORK/p2" > make.log 2>&1 &&
   cmp -s "$P/bin/preflight" "$WORK/p2/bin/preflight" && cmp -s "$P/lib/pkgconfig/preflight.pc" "$WORK/p2/lib/pkgconfig/preflight.pc"; then
	pass "make install PREFIX=P installs the same files"
else bad "make install PREFIX: $(tail -3 make.log)"; fi

# A plugin from the installed header alone: the example without its -I, then with the .pc's
export PKG_CONFIG_PATH=$P/lib/pkgconfig
CC=${CC:-cc}
cf=$(pkg-config --cflags preflight) || bad "pkg-config --cflags preflight"
[ "$(echo $cf)" = "-I$P/lib/pkgconfig/../../include" ] || bad "preflight.pc's Cflags point elsewhere than P/include: $cf"
[ "$(pkg-config --modversion preflight)" = "$("$P/bin/preflight" version | cut -d' ' -f2)" ] &&
	pass "preflight.pc's version is the binary's" || bad "preflight.pc version $(pkg-config --modversion preflight)"
if $CC -std=c11 -c -o /dev/null "$SRC/tests/plugins/example_linear.c" 2> /dev/null && [ ! -e /usr/include/preflight ] && [ ! -e /usr/local/include/preflight ]; then
	bad "the example plugin compiles without the installed header's -I (the check below proves nothing)"
fi
# shellcheck disable=SC2086
if $CC -std=c11 -Wall -Wextra -Wpedantic -Werror -shared -fPIC $cf \
	"$SRC/tests/plugins/example_linear.c" -o plug.so -lm 2> cc.err; then
	pass "tests/plugins/example_linear.c builds with \$(pkg-config --cflags preflight) = $cf"
else bad "plugin build: $(cat cc.err)"; fi
# a copy of the installed tree still finds its header (the .pc is relocatable)
cp -r "$P" moved
got=$(PKG_CONFIG_PATH=$WORK/moved/lib/pkgconfig pkg-config --cflags preflight | tr -d ' ')
[ "$got" = "-I$WORK/moved/lib/pkgconfig/../../include" ] && [ -f "$WORK/moved/lib/pkgconfig/../../include/preflight/stage_abi.h" ] &&
	pass "a moved prefix's preflight.pc points at its own include folder" || bad "moved .pc: $got"

# The shipped letor-models scenario plus two stacks: the plugin and the
# linear stage on the same weights; their runs must agree line for line.
printf 'bias 0.1\n260 1.0\n164 0.5\n' > w.txt
G=$SRC/golden/letor
sed -e "s|\.\./golden|$SRC/golden|g" -e "s|<outputs [^>]*>|<outputs dir=\"$WORK/out\"/>|" \
	-e "s|<metrics |<stack id=\"linear\"><candidates file=\"$G/rank.test\" query-file=\"$G/rank.test.query\"/><linear weights=\"$WORK/w.txt\"/></stack>\n  <stack id=\"plugin\"><candidates file=\"$G/rank.test\" query-file=\"$G/rank.test.query\"/><plugin lib=\"$WORK/plug.so\" params=\"weights=260:1.0,164:0.5;bias=0.1\"/></stack>\n  <metrics |" \
	"$SRC/scenarios/letor-models.xml" > letor-plugin.xml
"$P/bin/preflight" run --quiet letor-plugin.xml > run.log 2>&1; rc=$?
if [ $rc -le 1 ] && [ -s out/plugin.run ] && [ "$(awk '{$6=""; print}' out/linear.run)" = "$(awk '{$6=""; print}' out/plugin.run)" ] &&
   [ "$(wc -l < out/plugin.run)" = 768 ]; then
	pass "the installed binary runs scenarios/letor-models.xml with the plugin: 768 lines, as the linear stage scores them"
else bad "run with the plugin: exit $rc: $(tail -3 run.log)"; fi

# The man page: no warning from man or groff; every subcommand of
# `preflight help` has a section and every option of each usage text appears.
M=$P/share/man/man1/preflight.1
if command -v man > /dev/null; then
	MANWIDTH=80 man -l --warnings "$M" > man.txt 2> man.err
	[ ! -s man.err ] && grep -q '^NAME' man.txt && pass "man -l --warnings renders it ($(wc -l < man.txt) lines, no warning)" ||
		bad "man -l: $(head -3 man.err)"
else bad "no man (make deps installs man-db)"; fi
if command -v groff > /dev/null; then
	groff -man -ww -z "$M" 2> groff.err
	[ ! -s groff.err ] && pass "groff -man -ww -z: no warning" || bad "groff: $(head -3 groff.err)"
else bad "no groff (make deps installs groff-base)"; fi
ver=$("$P/bin/preflight" version | cut -d' ' -f2)
grep -q "^\.TH PREFLIGHT 1 .*\"preflight $ver\"" "$M" && pass "the man page is for version $ver" ||
	bad "the man page's .TH names another version than $ver: $(grep '^\.TH' "$M")"
cmds=$("$P/bin/preflight" help | awk '/^  [a-z]/ { print $1 }')
nosec=$(for c in $cmds; do grep -q "^\.SS \"\{0,1\}$c\b" "$M" || echo "$c"; done)
[ -n "$cmds" ] && [ -z "$nosec" ] && pass "a man section for each of: $(echo $cmds)" || bad "no man section for: $(echo $nosec)"
noopt=
for c in $cmds; do
	"$P/bin/preflight" "$c" --help > "help.$c" 2>&1
	for o in $(grep -o -- '--[a-z][a-z-]*' "help.$c" | sort -u) $(grep -o -- '\[-[a-zA-Z][] ]' "help.$c" | cut -c2-3 | sort -u); do
		r=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
		grep -q -- "$r" "$M" || noopt="$noopt $c:$o"
	done
done
[ -z "$noopt" ] && pass "every option of every usage text is in the man page" || bad "options missing from the man page:$noopt"

# Bash completion: source it and call its function as bash would.
cat > complete.sh <<'SH'
source "$1/share/bash-completion/completions/preflight"
c() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _preflight; echo "${COMPREPLY[*]}"; }
echo "sub: $(c preflight co)"
echo "all: $(c preflight '')"
echo "opt: $(c "$1/bin/preflight" run --ex)"
echo "evalopt: $(c "$1/bin/preflight" eval --Ju)"
echo "stage: $(c "$1/bin/preflight" stages g)"
echo "help: $(c preflight help di)"
complete -p preflight
SH
bash complete.sh "$P" > complete.out 2>&1
grep -qx 'sub: compare' complete.out && pass "completion: 'preflight co' -> compare" || bad "completion of co: $(cat complete.out)"
grep -qx 'opt: --export-features --export-stack' complete.out && pass "completion: 'preflight run --ex' -> --export-features --export-stack" || bad "completion of run --ex: $(grep opt: complete.out)"
grep -qx 'evalopt: --Judged_docs_only' complete.out && pass "completion: 'preflight eval --Ju' -> --Judged_docs_only (options read from the binary's usage text)" || bad "completion of eval --Ju: $(grep evalopt: complete.out)"
grep -qx 'stage: gbdt' complete.out && pass "completion: 'preflight stages g' -> gbdt (from the binary's registry)" || bad "completion of stages g: $(grep stage: complete.out)"
grep -qx 'help: diff' complete.out && pass "completion: 'preflight help di' -> diff" || bad "completion of help di: $(grep help: complete.out)"
grep -q 'complete -o filenames -F _preflight preflight' complete.out || bad "complete -p: $(tail -1 complete.out)"
all=$(grep '^all: ' complete.out)
nocomp=$(for c in $cmds; do case " ${all#all: } " in *" $c "*) ;; *) echo "$c" ;; esac; done)
[ -z "$nocomp" ] && pass "completion offers every subcommand of preflight help" || bad "completion lacks: $nocomp"
exit $fail
