#!/usr/bin/env bash
# Conformance: `preflight eval` against trec_eval 10.0's own expected outputs
# (shared/data/trec_eval/test, its `make quicktest` cases) and the Cranfield
# BM25 cases made for this project (shared/data/trec_eval/cranfield-bm25).
# Byte for byte. Every case is listed: PASS, PASS-SUBSET (the case's measures
# that preflight implements, compared against the expected file filtered to
# them), SKIP with the reason, or FAIL.
# Each case also runs with 1 and 3 threads and tiny chunks (PF_EVAL_CHUNK),
# which must not change a byte.
# usage: trec_eval.sh PREFLIGHT SOURCE_DIR SHARED_DIR WORK_DIR
set -u
PF=$1 SRC=$2 SHARED=$3 WORK=$4
D=$SHARED/data/trec_eval
[ -d "$D/test" ] || { echo "SKIP: $D not found"; exit 77; }
mkdir -p "$WORK"
cd "$D" || exit 2

pass=0 fail=0 skip=0
# Measures preflight implements, as names printed by trec_eval.
IMPL='^(runid|num_q|num_ret|num_rel|num_rel_ret|map|gm_map|Rprec|bpref|recip_rank|infAP|ndcg|relstring)$|^ndcg_[-0-9]+=[-0-9=.,]+$|^(iprec_at_recall|P|recall|ndcg_cut|map_cut|success|relstring)_[0-9.]+$'

filter_expected() {	# keep lines whose measure preflight implements
	awk -F'\t' -v re="$IMPL" '{ n = $1; sub(/ +$/, "", n); if (n ~ re) print }' "$1"
}

# run_case NAME EXPECTED MODE ARGS...   MODE: full | subset
run_case() {
	local name=$1 exp=$2 mode=$3; shift 3
	local out=$WORK/$name.out want=$WORK/$name.want
	if [ "$mode" = subset ]; then filter_expected "$exp" > "$want"; else cp "$exp" "$want"; fi
	if ! OMP_NUM_THREADS=2 "$PF" eval "$@" > "$out" 2> "$WORK/$name.err"; then
		echo "FAIL $name: exit $? ($(head -c 300 "$WORK/$name.err"))"; fail=$((fail+1)); return
	fi
	if [ -n "${EXCLUDE:-}" ]; then	# a documented divergence: drop those lines on both sides
		grep -Ev "$EXCLUDE" "$want" > "$want.x"; mv "$want.x" "$want"
		grep -Ev "$EXCLUDE" "$out" > "$out.x"
	else
		cp "$out" "$out.x"
	fi
	if ! cmp -s "$out.x" "$want"; then
		echo "FAIL $name: output differs from $exp"; diff "$want" "$out" | head -20
		fail=$((fail+1)); return
	fi
	for v in "1 0" "3 4096" "2 977"; do
		local th=${v% *} cb=${v#* }
		if [ "$cb" = 0 ]; then
			OMP_NUM_THREADS=$th "$PF" eval "$@" > "$out.v" 2>/dev/null
		else
			OMP_NUM_THREADS=$th PF_EVAL_CHUNK=$cb "$PF" eval "$@" > "$out.v" 2>/dev/null
		fi
		if ! cmp -s "$out" "$out.v"; then
			echo "FAIL $name: output changes with OMP_NUM_THREADS=$th PF_EVAL_CHUNK=$cb"
			fail=$((fail+1)); return
		fi
	done
	if [ "$mode" = subset ]; then echo "PASS-SUBSET $name ($(wc -l < "$want") of $(wc -l < "$exp") lines)"
	else echo "PASS $name"; fi
	pass=$((pass+1))
}
skip_case() { echo "SKIP $1: $2"; skip=$((skip+1)); }

# Does preflight implement the whole all_trec set?
if "$PF" eval -m all_trec test/qrels.test test/results.test >/dev/null 2>&1; then
	ALL=(-m all_trec); AMODE=full
else
	ALL=(-m official -m recall -m infAP -m ndcg -m ndcg_cut -m map_cut -m success -m relstring); AMODE=subset
fi

# trec_eval's quicktest (SOURCE.md table), numbered as there.
run_case te01 test/out.test full test/qrels.test test/results.test
run_case te02 test/out.test full test/qrels.test.with-comments test/results.test
run_case te03 test/out.comment.test full test/qrels.comment.test test/results.comment.test
run_case te04 test/out.test.a $AMODE "${ALL[@]}" test/qrels.test test/results.test
run_case te05 test/out.test.aq $AMODE "${ALL[@]}" -q test/qrels.test test/results.test
# The relstring of a -c missing topic is '' here but '-' in cran.missing.c:
# trec_eval prints a static buffer whose content depends on which measures ran
# before it. preflight always prints '-' (the bogus non-pool document trec_eval
# scores for a missing topic); that one line is left out of the comparison.
EXCLUDE=$'^relstring +\t302\t' run_case te06 test/out.test.aqc $AMODE "${ALL[@]}" -q -c test/qrels.test test/results.trunc
EXCLUDE=$'^relstring +\t302\t' run_case te07 test/out.test.aqcM $AMODE "${ALL[@]}" -q -c -M100 test/qrels.test test/results.trunc
run_case te08 test/out.test.aql $AMODE "${ALL[@]}" -mrelstring.20 -q -l2 test/qrels.rel_level test/results.test
skip_case te09 "preference format (-R prefs) is not implemented"
skip_case te10 "preference format (-R prefs) is not implemented"
skip_case te11 "preference measures (-R qrels_prefs) are not implemented"
skip_case te12 "judgment-group format (-R qrels_jg) is not implemented"
skip_case te13 "judgment-group format (-R qrels_jg) is not implemented"
TE14=(-q -miprec_at_recall..10,.20,.25,.75,.50 -m P.5,7,3 -m recall.20,2000 -mndcg.1=3,2=9,4=4.5 -mndcg_cut.10,20,23.4 -msuccess.2,5,20)
if "$PF" eval -m Rprec_mult.5.0 -m utility.2,-1,0,0 -m 11pt_avg..25 test/qrels.test test/results.test >/dev/null 2>&1; then
	run_case te14 test/out.test.meas_params full "${TE14[@]}" -m Rprec_mult.5.0,0.2,0.35 -mutility.2,-1,0,0 -m 11pt_avg..25,.5,.75 test/qrels.test test/results.test
else
	run_case te14 test/out.test.meas_params subset "${TE14[@]}" test/qrels.test test/results.test
fi
skip_case te15 "-Z z-score normalisation is not implemented"

# Cranfield BM25 (cranfield-bm25/ in SOURCE.md).
C=cranfield-bm25
M=(-m num_q -m num_ret -m num_rel -m num_rel_ret -m map -m gm_map -m Rprec -m bpref -m recip_rank -m infAP -m P.5,10,20,100 -m recall.5,10,20,100 -m ndcg -m ndcg_cut.5,10,20,100 -m map_cut.10,100 -m success.1,5,10 -m relstring.10)
run_case cran.q $C/expected-10.0/bm25.q.out full -q "${M[@]}" $C/cranfield.qrels $C/cranfield_bm25.run
run_case cran.q.l2 $C/expected-10.0/bm25.q.l2.out full -q -l2 "${M[@]}" $C/cranfield.qrels $C/cranfield_bm25.run
run_case cran.q.J $C/expected-10.0/bm25.q.J.out full -q -J "${M[@]}" $C/cranfield.qrels $C/cranfield_bm25.run
run_case cran.q.M10 $C/expected-10.0/bm25.q.M10.out full -q -M10 "${M[@]}" $C/cranfield.qrels $C/cranfield_bm25.run
run_case cran.ties $C/expected-10.0/ties.q.out full -q "${M[@]}" $C/cranfield.qrels $C/cranfield_bm25_ties.run
run_case cran.missing.c $C/expected-10.0/missing.q.c.out full -q -c "${M[@]}" $C/cranfield.qrels $C/cranfield_bm25_missing.run
# Without -c preflight follows 9.0.8 (skip missing topics, warn on stderr).
run_case cran.missing.908 $C/expected-9.0.8/missing.q.out full -q "${M[@]}" $C/cranfield.qrels $C/cranfield_bm25_missing.run
skip_case cran.missing.100 "trec_eval 10.0 aborts here (exit 4, backwards message); preflight follows 9.0.8 by design"

echo "trec_eval conformance: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
