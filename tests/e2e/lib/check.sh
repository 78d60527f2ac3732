# The e2e scripts' bookkeeping, sourced after `set -u`:
#   ok MSG     prints "PASS MSG" and counts it in pass
#   bad MSG    prints "FAIL MSG" and counts it in fail (exit $((fail > 0)))
fail=0 pass=0
ok() { echo "PASS $1"; pass=$((pass+1)); }
bad() { echo "FAIL $1"; fail=$((fail+1)); }
