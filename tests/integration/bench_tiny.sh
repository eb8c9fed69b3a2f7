#!/bin/bash
# bench_tiny.sh — the benchmark (bench/run) at a tiny size, so that it
# cannot rot: 30 clusters in "big", 3 in each other project, families in 4,
# 3 edits, W6 over 2 clusters per reader, a 2 MiB export and upload, one
# pass at 0 ms. Checks that bench.json is well formed and that the counts
# are sane. No timed assertion.
. "$(dirname "$0")/lib.sh"
J=$TMPD/bench.json
BENCH_PASSES=0 BENCH_BIG=30 BENCH_SMALL=3 BENCH_FAMILIES=4 BENCH_EDITS=3 \
BENCH_W6=2 BENCH_EXPORT_BYTES=2097152 BENCH_PART_MIB=5 BENCH_JSON=$J \
	timeout 300 "$REPO/bench/run" "$TCFS_BUILD_DIR" >"$TMPD/bench.out" 2>&1
rc=$?
expect_eq "bench/run exits 0" 0 "$rc" || diag "$(tail -30 "$TMPD/bench.out")"
ok "bench.json is JSON with one pass at 0 ms" jq -e '.passes | length == 1 and .[0].latency_ms == 0' "$J"
ok "every record has the six keys, numbers (rss may be null for the seeder)" jq -e '
	([.passes[].workloads[][] | (.requests, .challenges, .connections, .tls_handshakes, .wall_s) | numbers] | length > 0)
	and all(.passes[].workloads[][]; [.requests, .challenges, .connections, .tls_handshakes, .wall_s] | all(type == "number" and . >= 0))
	and all(.passes[].workloads[][]; has("rss_kib"))' "$J"
ok "workloads W1 W2 W3 W4 W5 W6 on the mount, W1 W2 W3 W5 W7 the curl way" jq -e '
	.passes[0].workloads as $w
	| all(["W1", "W1_warm", "W2", "W3", "W3_warm", "W4", "W5", "W6_1", "W6_8"][]; $w[.].fs)
	and all(["W1", "W2", "W3", "W5", "W7_down", "W7_up"][]; $w[.].curl)' "$J"
w() { jq -r ".passes[0].workloads.$1" "$J"; }
expect_eq "W1 cold: 1 projects page + 1 serverless + 1 dedicated page" 3 "$(w W1.fs.requests)"
expect_eq "W1 warm, W4 and W3 warm: no request" "0 0 0" "$(w W1_warm.fs.requests) $(w W4.fs.requests) $(w W3_warm.fs.requests)"
expect_eq "curl W1: the same 3 pages" 3 "$(w W1.curl.requests)"
expect_eq "curl: one 401 challenge and one connection per curl (W3)" \
	"$(w W3.curl.requests) $(w W3.curl.requests)" "$(w W3.curl.challenges) $(w W3.curl.connections)"
expect_eq "curl W3: projects page + 2 list pages per project + a GET per cluster (42)" 53 "$(w W3.curl.requests)"
expect_le "fs W3 requests <= curl W3 requests" "$(w W3.curl.requests)" "$(w W3.fs.requests)"
expect_le "fs: TLS handshakes <= connections (W3)" "$(w W3.fs.connections)" "$(w W3.fs.tls_handshakes)"
expect_le "fs: 401 challenges <= connections (W3)" "$(w W3.fs.connections)" "$(w W3.fs.challenges)"
expect_eq "curl W5: projects + 1 list page + 3 x (GET + PATCH)" 8 "$(w W5.curl.requests)"
expect_eq "curl W7 up: startUpload, completeUpload, import" 3 "$(w W7_up.curl.requests)"
nok "no workload failed" grep -q FAILED "$TMPD/bench.out" || diag "$(grep -A3 FAILED "$TMPD/bench.out")"
ok "the table names every workload" grep -q 'ratios tidbcloudfs / curl' "$TMPD/bench.out"
ok "W3: both ways read 42 cluster objects" grep -q 'W3 fs 42 / curl 42 objects' "$TMPD/bench.out"
finish
