# tests/e2e/lib/history_checks.sh — the checks the SQLite and the
# PostgreSQL history tests share (sourced after lib/history.sh; they use
# the caller's PF, SRC, ok and bad).

# check_run_content DB RUN RESULTS_JSON BM25_RUN FEATS_SVM QRELS: run RUN
# of DB against what the same night wrote (lib/history_verify.py).
check_run_content() {
	local db=$1 id=$2 dir
	dir=$(mktemp -d "$PWD/verify.XXXXXX")
	hsql "$db" "SELECT qid, value FROM query_metrics WHERE run = $id AND stack = 'bm25' AND metric = 'ndcg_cut_10'" > "$dir/values.txt"
	hsql "$db" "SELECT qid, value FROM query_metrics WHERE run = $id AND stack = 'bm25' AND metric = 'map'" > "$dir/map.txt"
	hsql "$db" "SELECT COUNT(*) FROM query_metrics WHERE run = $id" > "$dir/counts.txt"
	hsql "$db" "SELECT stack, metric, mean FROM stack_metrics WHERE run = $id" > "$dir/means.txt"
	hsql "$db" "SELECT role, path, sha256 FROM inputs WHERE run = $id" > "$dir/inputs.txt"
	hsql "$db" "SELECT qid, rank, docid, score FROM rankings WHERE run = $id AND stack = 'bm25'" > "$dir/rankings.txt"
	hsql "$db" "SELECT feature, count, missing, missing_rate, mean, sd, min, max, quantiles FROM feature_stats WHERE run = $id AND stack = 'bm25-lambdamart'" > "$dir/features.txt"
	"$PF" eval -q -m ndcg_cut.10 -m map "$6" "$4" > "$dir/eval.txt" 2> /dev/null
	if /usr/bin/python3 "$SRC/tests/e2e/lib/history_verify.py" "$dir" "$3" "$4" "$5" "$dir/eval.txt" > "$dir/diff.txt" 2>&1; then
		ok "run $id: per-query values = preflight eval -q on its run file, rows = stacks x queries x metrics, means, inputs' sha256, top tens, feature statistics = numpy's"
	else
		bad "run $id content: $(head -5 "$dir/diff.txt")"
	fi
}

# check_concurrent_and_killed DB SCENARIO: an append killed (kill -9)
# halfway leaves nothing; two appends at once both land, complete, one
# after the other.
check_concurrent_and_killed() {
	local db=$1 scn=$2 n pid pa pb ra rb
	n=$(hsql "$db" "SELECT COUNT(*) FROM runs")
	PREFLIGHT_TEST_HISTORY_STALL=120 "$PF" run --quiet --out out-k --history "$db" \
		--label job=killed "$scn" > k.out 2> k.err &
	pid=$!
	if ! wait_for k.err "history append stalled halfway" 120; then
		kill -9 $pid 2> /dev/null; bad "killed: the append never stalled: $(tail -3 k.err)"; return
	fi
	kill -9 $pid; wait $pid 2> /dev/null
	[ "$(hsql "$db" "SELECT COUNT(*) FROM runs")" = "$n" ] && [ "$(incomplete "$db")" = 0 ] &&
	[ "$(hsql "$db" "SELECT COUNT(*) FROM run_labels WHERE value = 'killed'")" = 0 ] \
		&& ok "an append killed halfway (kill -9): nothing of it, complete runs only" \
		|| bad "killed: $(hsql "$db" "SELECT COUNT(*) FROM runs") runs, incomplete $(incomplete "$db")"

	PREFLIGHT_TEST_HISTORY_STALL=4 "$PF" run --quiet --out out-a --history "$db" \
		--label job=a "$scn" > a.out 2> a.err &
	pa=$!
	wait_for a.err "history append stalled halfway" 120 || bad "concurrent: a never stalled"
	"$PF" run --quiet --out out-b --history "$db" --label job=b "$scn" > b.out 2> b.err &
	pb=$!
	wait $pa; ra=$?
	wait $pb; rb=$?
	local ida idb
	ida=$(hsql "$db" "SELECT run FROM run_labels WHERE key = 'job' AND value = 'a'")
	idb=$(hsql "$db" "SELECT run FROM run_labels WHERE key = 'job' AND value = 'b'")
	[ $ra = 0 ] && [ $rb = 0 ] && [ "$(hsql "$db" "SELECT COUNT(*) FROM runs")" = $((n + 2)) ] &&
	[ "$(incomplete "$db")" = 0 ] && [ -n "$ida" ] && [ -n "$idb" ] && [ "$ida" -lt "$idb" ] \
		&& ok "two appends at once: both complete, the second queued behind the first (ids $ida < $idb)" \
		|| bad "concurrent: exits $ra $rb, runs a='$ida' b='$idb', incomplete $(incomplete "$db"): $(tail -2 a.err b.err)"
}

# check_prune DB: --prune-keep 2 keeps the last two runs of the scenario
# and no row of the others.
check_prune() {
	local db=$1 last
	last=$(hsql "$db" "SELECT id FROM runs WHERE scenario = 'cranfield' ORDER BY id DESC LIMIT 2" | tr '\n' ' ')
	"$PF" history "$db" --prune-keep 2 > p.out 2> p.err; rc=$?
	[ $rc = 0 ] && grep -qF "preflight: pruned" p.err && [ "$(grep -c "  cranfield  " p.out)" = 2 ] &&
	[ "$(hsql "$db" "SELECT id FROM runs ORDER BY id DESC" | tr '\n' ' ')" = "$last" ] &&
	[ "$(incomplete "$db")" = 0 ] \
		&& ok "--prune-keep 2: the last two runs ($last) and their rows only" \
		|| bad "prune: $rc [$last] $(cat p.err) $(hsql "$db" "SELECT id FROM runs")"
}
