#!/usr/bin/env bash
# The plugin stage with the example plugin (tests/plugins/example_linear.c,
# built by CMake beside the preflight binary): it scores exactly as the
# built-in linear stage on the same weights, and every failure is a clear
# error naming the plugin, with exit 2: wrong ABI version, no entry point,
# an unloadable file, a refused parameter, a failing score call.
# usage: plugin.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 WORK=$4
B=$(dirname "$PF")
[ -f "$B/pf_plugin_example.so" ] || { echo "SKIP: no example plugin in $B"; exit 77; }
rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK" || exit 2
G=$SRC/golden/letor
fail=0
printf 'bias 0.1\n260 1.0\n164 0.5\n' > w.txt
mk() {	# NAME LIB PARAMS
cat > $1.xml <<XML
<?xml version="1.0"?>
<scenario name="$1">
  <golden dir="$G"><labels candidates="rank.test" query-file="rank.test.query"/></golden>
  <stack id="linear"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><linear weights="$WORK/w.txt"/></stack>
  <stack id="plugin"><candidates file="$G/rank.test" query-file="$G/rank.test.query"/><plugin lib="$2" params="$3"/></stack>
  <compare bootstrap="200" permutations="200"/>
  <outputs dir="out-$1"/>
</scenario>
XML
}
mk same "$B/pf_plugin_example.so" "weights=260:1.0,164:0.5;bias=0.1"
"$PF" run -q same.xml 2> same.err || { echo "FAIL run: $(cat same.err)"; exit 1; }
if [ "$(awk '{$6=""; print}' out-same/linear.run)" = "$(awk '{$6=""; print}' out-same/plugin.run)" ]; then
	echo "PASS the plugin scores exactly as the linear stage (every line of the runs)"
else echo "FAIL plugin and linear differ"; diff out-same/linear.run out-same/plugin.run | head -3; fail=1; fi
expect() {	# NAME LIB PARAMS FRAGMENT
	mk $1 "$2" "$3"
	"$PF" run -q $1.xml > /dev/null 2> $1.err; local rc=$?
	if [ $rc -eq 2 ] && grep -qF -- "$4" $1.err; then echo "PASS $1: $(head -1 $1.err)"
	else echo "FAIL $1: exit $rc: $(cat $1.err)"; fail=1; fi
}
expect bad_abi "$B/pf_plugin_badabi.so" "" "plugin ABI version 99, this preflight speaks 1"
expect no_entry "$B/pf_plugin_noentry.so" "" "not a preflight plugin: no symbol pf_plugin_entry"
expect not_a_library "$WORK/w.txt" "" "cannot load the plugin"
expect refused "$B/pf_plugin_example.so" "colour=blue" "plugin 'example-linear' refused to open: unknown parameter 'colour'"
expect score_fails "$B/pf_plugin_example.so" "fail=1" "plugin 'example-linear' ($B/pf_plugin_example.so) failed: asked to fail"
exit $fail
