#!/bin/bash
# Billing (issue 10): <org>/billing/<YYYY-MM>/ with bill.json (GET
# /v1beta1/bills/{m}), details.json (GET /v1beta1/billsDetails/{m}) and
# details.csv (made from details.json: header line, one RFC 4180 row per
# day × project × cluster × service, exact st_size, no request of its own).
# billing/ lists the current month and the six before it from the clock, with
# no request; other months are ENOENT. Everything is read-only. A key without
# the Organization Owner or Billing Admin role sees billing/, reading a bill
# fails with EACCES and .error quotes the API; the rest of the mount works.
. "$(dirname "$0")/lib.sh"

BILLS="GET billing /v1beta1/bills/{id}" DETAILS="GET billing /v1beta1/billsDetails/{id}"
billing_reqs() { echo $(( $(emu_route "$BILLS") + $(emu_route "$DETAILS") )); }
month() { date -u -d "$(date -u +%Y-%m-15) -$1 month" +%Y-%m; }
M0=$(month 0) M1=$(month 1) M6=$(month 6) M7=$(month 7) NEXT=$(date -u -d "$(date -u +%Y-%m-15) +1 month" +%Y-%m)
WANT=$(for i in 0 1 2 3 4 5 6; do month $i; done | sort | tr '\n' ' ')

start_emulator
mount_fs cache_timeout=30
B=$ORG/billing

# --- the months, from the clock
ok "billing/ is in the org directory" sh -c "ls '$ORG' | grep -qx billing"
emu_reset
expect_eq "ls billing: the current month and the six before it" "$WANT" \
	"$(t ls "$B" | sort | tr '\n' ' ')"
ok "ls -l billing" t ls -l "$B"
expect_eq "ls and ls -l billing cost no request" 0 "$(emu_stat requests)"
expect_fail_errno "a month before the window: ENOENT" ENOENT ls "$B/$M7"
expect_fail_errno "next month: ENOENT" ENOENT ls "$B/$NEXT"
expect_fail_errno "not a month: ENOENT" ENOENT ls "$B/2024-13"
expect_eq "still no request" 0 "$(emu_stat requests)"

# --- a month: bill.json, details.json, details.csv
emu_reset
ok "ls -l billing/$M1" t ls -l "$B/$M1"
expect_eq "ls -l of a month: one bill and one details request" "1 1" \
	"$(emu_route "$BILLS") $(emu_route "$DETAILS")"
expect_eq "bill.json is the emulator's bill" \
	"$(emu_api GET "https://billing.tidbapi.com/v1beta1/bills/$M1" | sed '$d' | jq -cS .)" \
	"$(t jq -cS . "$B/$M1/bill.json")"
expect_eq "details.json is the emulator's details" \
	"$(emu_api GET "https://billing.tidbapi.com/v1beta1/billsDetails/$M1" | sed '$d' | jq -cS .)" \
	"$(t jq -cS . "$B/$M1/details.json")"
for f in bill.json details.json details.csv; do
	ok "st_size of $f is exact" sh -c \
		"[ \$(stat -c %s '$B/$M1/$f') = \$(cat '$B/$M1/$f' | wc -c) ]"
done
emu_reset
ok "cat details.csv" sh -c "cat '$B/$M1/details.csv' >/dev/null"
expect_eq "details.csv costs no request of its own (the cached details)" 0 "$(billing_reqs)"
ok "bill.json: totalCost = runningTotal - discounts - credits" jqf \
	'.overview | ((.runningTotal|tonumber) - (.discounts|tonumber) - (.credits|tonumber) - (.totalCost|tonumber)) | fabs < 0.005' \
	"$B/$M1/bill.json"
ok "bill.json: billedMonth" jqf ".overview.billedMonth == \"$M1\"" "$B/$M1/bill.json"

# --- details.csv through python3's csv module
PY='
import csv, json, sys
from decimal import Decimal
rows = list(csv.reader(open(sys.argv[1], newline="")))
det = json.load(open(sys.argv[2]))["details"]
bill = json.load(open(sys.argv[3]))["overview"]
cols = ["billedDate","projectName","clusterName","servicePathName","credits","discounts","runningTotal","totalCost"]
assert rows[0] == cols, rows[0]
assert len(rows) - 1 == len(det), (len(rows), len(det))
for r, d in zip(rows[1:], det):
    assert r == [d[c] for c in cols], (r, d)
    assert Decimal(r[7]) == Decimal(r[6]) - Decimal(r[5]) - Decimal(r[4]), r
for i, c in enumerate(["credits","discounts","runningTotal","totalCost"]):
    assert sum(Decimal(r[4 + i]) for r in rows[1:]) == Decimal(bill[c]), c
days = sorted({r[0] for r in rows[1:]})
per_day = [sum(1 for r in rows[1:] if r[0] == d) for d in days]
assert len(set(per_day)) == 1, per_day   # each day: every project x cluster x service
assert [r[0] for r in rows[1:]] == sorted(r[0] for r in rows[1:])
print(len(rows) - 1, len(days), per_day[0])
'
OUT=$(python3 -c "$PY" "$B/$M1/details.csv" "$B/$M1/details.json" "$B/$M1/bill.json" 2>&1)
ok "python3 csv: header, one row per detail, amounts consistent, sums equal the bill" \
	sh -c "echo '$OUT' | grep -Eq '^[0-9]+ [0-9]+ [0-9]+$'"
diag "details.csv of $M1: $OUT (rows, days, rows a day)"
SERVICES=$(( $(jq '[.clusters[] | if .kind == "starter" then 2 elif .kind == "essential" then 2 else 3 end] | add' "$REPO/tests/emulator/default-seed.json") ))
ok "a row a day for each cluster's service ($SERVICES)" sh -c "echo '$OUT' | grep -q ' $SERVICES$'"
ok "details.csv ends its lines with CRLF (RFC 4180)" sh -c "head -1 '$B/$M1/details.csv' | od -c | grep -q '\\\\r  \\\\n'"
DAYS=$(date -u -d "$M1-01 +1 month -1 day" +%d)
ok "every day of a past month is billed ($DAYS days)" sh -c "echo '$OUT' | grep -q ' $DAYS '"
ok "the current month stops today" sh -c \
	"[ \$(tail -1 '$B/$M0/details.csv' | cut -d, -f1) = $(date -u +%Y-%m-%d) ]"
ok "awk over details.csv: the total of a cluster" sh -c \
	"awk -F, 'NR > 1 && \$3 == \"orders-db\" { s += \$8 } END { exit !(s > 0) }' '$B/$M1/details.csv'"

# --- cat */bill.json, find
unmount_fs
mount_fs cache_timeout=30
B=$ORG/billing
emu_reset
ok "cat billing/*/bill.json | jq" sh -c "cat '$B'/*/bill.json | jq -e -s 'length == 7' >/dev/null"
expect_eq "cat */bill.json: one bill request per month, no details" "7 0" \
	"$(emu_route "$BILLS") $(emu_route "$DETAILS")"
unmount_fs
mount_fs cache_timeout=30
B=$ORG/billing
emu_reset
ok "find billing -type f -size +0 (the st_size of every file)" sh -c \
	"[ \$(find '$B' -type f -size +0 | wc -l) = 21 ]"
expect_eq "find (cold): one bill and one details request per month (exact sizes)" "7 7" \
	"$(emu_route "$BILLS") $(emu_route "$DETAILS")"
emu_reset
ok "find billing again" sh -c "find '$B' >/dev/null"
ok "cat */*.csv" sh -c "cat '$B'/*/details.csv >/dev/null"
expect_eq "nothing more within cache_timeout" 0 "$(billing_reqs)"

# --- read-only
emu_reset
expect_fail_errno "mkdir billing/<month>: EPERM" EPERM mkdir "$B/2020-01"
expect_fail_errno "rmdir a month: EPERM" EPERM rmdir "$B/$M1"
ok ".error says bills are read-only" file_has "$B/$M1/.error" "read-only"
expect_fail_errno "writing bill.json: EACCES" EACCES sh -c "echo x > '$B/$M1/bill.json'"
expect_fail_errno "writing details.csv: EACCES" EACCES sh -c "echo x >> '$B/$M1/details.csv'"
expect_fail_errno "a new file in a month: EACCES" EACCES sh -c "echo x > '$B/$M1/notes.txt'"
expect_fail_errno "rm bill.json: EPERM" EPERM rm -f "$B/$M1/bill.json"
expect_eq "nothing sent" 0 "$(emu_stat requests)"
unmount_fs
mount_fs cache_timeout=30,ro
B=$ORG/billing
expect_fail_errno "mkdir with -o ro: EROFS" EROFS mkdir "$B/2020-01"
ok "bills read with -o ro" jqf ".overview.billedMonth == \"$M0\"" "$B/$M0/bill.json"
unmount_fs

# --- a key without billing rights: billing/ shows, reading fails with EACCES
TEST_PUBLIC_KEY=ORGMEMBERKEY0001 TEST_PRIVATE_KEY=org-member-secret-0123456789abcdef \
	mount_fs cache_timeout=30
B=$ORG/billing
ok "an org:member sees billing/" test -d "$B"
expect_eq "and its months" "$WANT" "$(t ls "$B" | sort | tr '\n' ' ')"
emu_reset
expect_fail_errno "reading bill.json: EACCES" EACCES cat "$B/$M0/bill.json"
ok ".error quotes the API's answer" file_has "$B/$M0/.error" \
	"bills require the Organization Owner or Organization Billing Admin role"
ok ".error names the 403" file_has "$B/$M0/.error" "403"
expect_fail_errno "reading details.csv: EACCES" EACCES cat "$B/$M0/details.csv"
expect_fail_errno "reading details.json: EACCES" EACCES cat "$B/$M1/details.json"
ok "the projects are listed" sh -c "ls '$ORG/projects' | grep -qx production"
ok "a cluster is read" jqf '.displayName == "orders-db"' "$ORG/projects/production/clusters/orders-db/cluster.json"
ok "regions are read" json_valid "$ORG/regions/serverless.json"
unmount_fs

# --- the billing admin key reads the bills
TEST_PUBLIC_KEY=BILLINGADMIN0001 TEST_PRIVATE_KEY=billing-admin-secret-0123456789abc \
	mount_fs cache_timeout=30
ok "an org:billing_admin reads bill.json" jqf ".overview.billedMonth == \"$M6\"" "$ORG/billing/$M6/bill.json"
unmount_fs

finish
