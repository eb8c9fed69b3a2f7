#!/bin/bash
# Partial list items (issue 8): the serverless list leaves out
# automatedBackupPolicy, spendingLimit and usage, as the real API does. The
# mount still shows whole cluster.json and spec.json, at the cost of list
# pages plus ceil(N/100) clusters:batchGet calls; ls -l costs only the
# pages; sed -i of the spending limit works right after ls; real bodies
# seeded verbatim come back through the mount unchanged.
. "$(dirname "$0")/lib.sh"

# the default seed + 250 bulk Starter clusters + two verbatim bodies
write_seed "$TMPD/base.json" 250
cat >"$TMPD/verbatim.json" <<'EOF'
[{"kind": "starter", "verbatim": true,
  "name": "clusters/10234567890123456701", "clusterId": "10234567890123456701",
  "displayName": "replayed",
  "region": {"name": "regions/aws-us-west-2", "regionId": "aws-us-west-2",
             "cloudProvider": "aws", "displayName": "Oregon (us-west-2)", "provider": "aws"},
  "spendingLimit": {"monthly": 1500},
  "automatedBackupPolicy": {"startTime": "07:00", "retentionDays": 14},
  "endpoints": {"public": {"host": "gateway01.us-west-2.prod.aws.tidbcloud.com", "port": 4000,
                           "disabled": false, "authorizedNetworks": []},
                "private": {"host": "gateway01-privatelink.us-west-2.prod.aws.tidbcloud.com", "port": 4000,
                            "aws": {"serviceName": "com.amazonaws.vpce.us-west-2.vpce-svc-01234567890abcdef",
                                    "availabilityZone": ["usw2-az1"]}}},
  "encryptionConfig": {"enhancedEncryptionEnabled": false},
  "highAvailabilityType": "ZONAL", "version": "v7.5.2",
  "createdBy": "someone@example.com", "userPrefix": "3dQbK7Xn2Mp9vWc", "state": "ACTIVE",
  "labels": {"tidb.cloud/organization": "1372813089187041280",
             "tidb.cloud/project": "1372813089189621599"},
  "annotations": {"tidb.cloud/has-set-password": "false",
                  "tidb.cloud/available-features": "DISABLE_PUBLIC_LB,DELEGATE_USER"},
  "usage": {"requestUnit": "0", "rowStorage": 1176692, "columnarStorage": 0},
  "auditLogConfig": {"enabled": false, "unredacted": false},
  "createTime": "2025-03-13T16:13:49Z", "updateTime": "2025-03-13T16:14:27Z"},
 {"kind": "dedicated", "verbatim": true,
  "name": "clusters/10234567890123456702", "clusterId": "10234567890123456702",
  "displayName": "replayed-ded", "regionId": "aws-us-west-2",
  "labels": {"tidb.cloud/organization": "1372813089187041280",
             "tidb.cloud/project": "1372813089189621599"},
  "tidbNodeSetting": {"nodeSpecKey": "2C4G", "nodeSpecDisplayName": "2 vCPU, 4 GiB beta",
    "tidbNodeGroups": [{"name": "tidbNodeGroups/19171", "tidbNodeGroupId": "19171",
      "clusterId": "10234567890123456702", "displayName": "DefaultGroup", "nodeCount": 1,
      "endpoints": [{"host": "tidb.abc.clusters.tidb-cloud.com", "port": 4000, "connectionType": "PUBLIC"},
                    {"host": "private-tidb.abc.clusters.tidb-cloud.com", "port": 4000, "connectionType": "VPC_PEERING"},
                    {"host": "privatelink-19171.abc.clusters.tidb-cloud.com", "port": 4000, "connectionType": "PRIVATE_ENDPOINT"}],
      "nodeSpecKey": "2C4G", "nodeSpecDisplayName": "2 vCPU, 4 GiB beta",
      "isDefaultGroup": true, "state": "MODIFYING"}]},
  "tikvNodeSetting": {"nodeCount": 3, "nodeSpecKey": "2C4G", "storageSizeGi": 60,
                      "storageType": "Standard", "nodeSpecDisplayName": "2 vCPU, 4 GiB"},
  "port": 4000, "state": "ACTIVE", "version": "v8.1.2", "createdBy": "apikey-K0000000",
  "createTime": "2025-04-29T08:45:41.048Z", "updateTime": "2025-04-29T08:51:03.081Z",
  "regionDisplayName": "Oregon (us-west-2)", "cloudProvider": "aws",
  "annotations": {"tidb.cloud/available-features": "DELEGATE_USER,DISABLE_PUBLIC_LB,PRIVATELINK",
                  "tidb.cloud/has-set-password": "false"}}]
EOF
jq --slurpfile v "$TMPD/verbatim.json" '.clusters += $v[0]' "$TMPD/base.json" >"$TMPD/seed.json"
start_emulator --seed "$TMPD/seed.json"
mount_fs cache_timeout=30

P=$ORG/projects
B=$P/bulk/clusters
CURL_EMU="timeout 10 curl -s --cacert $CACERT --connect-to ::127.0.0.1:$PORT"

# --- the emulator serves partial items, as the real API does
ok "the emulator's list items lack the three fields" sh -c "$CURL_EMU --digest -u '$TEST_PUBLIC_KEY:$TEST_PRIVATE_KEY' 'https://serverless.tidbapi.com/v1beta1/clusters?pageSize=100' | jq -e '[.clusters[] | has(\"spendingLimit\") or has(\"automatedBackupPolicy\") or has(\"usage\")] | any | not' >/dev/null"
emu_reset

# --- ls -l of 250 clusters: the list pages only
n=$(t ls -l "$B" | grep -c ' bulk-[0-9][0-9][0-9]$')
expect_eq "ls -l of 250 clusters" 250 "$n"
expect_eq "ls -l: 3 serverless pages" 3 "$(emu_route 'GET serverless /v1beta1/clusters')"
expect_eq "ls -l: 1 dedicated page" 1 "$(emu_route 'GET dedicated /v1beta1/clusters')"
expect_eq "ls -l: nothing else" 4 "$(emu_stat requests)"

# --- cat */cluster.json: whole objects, ceil(250/100) batch gets
emu_reset
ok "cat */cluster.json over 250 clusters: every one whole" sh -c "cd '$B' && timeout 60 cat */cluster.json | jq -s 'length == 250 and all(.spendingLimit.monthly != null and .automatedBackupPolicy.retentionDays != null and .usage.requestUnit != null)' | grep -qx true"
diag "cat */cluster.json: $(emu_stat requests) requests"
expect_eq "cat */cluster.json: 3 requests" 3 "$(emu_stat requests)"
expect_eq "cat */cluster.json: ... 3 batchGets" 3 "$(emu_route 'GET serverless /v1beta1/clusters:batchGet')"
expect_eq "cat */cluster.json: no single GET" 0 "$(emu_route 'GET serverless /v1beta1/clusters/{id}')"
ok "batches of at most 100 ids, each with view=FULL" sh -c "$CURL_EMU https://api.tidbcloud.com/_emulator/requests | jq -e '[.requests[] | select(.path == \"/v1beta1/clusters:batchGet\")] | length == 3 and all(.query | test(\"view=FULL\") and ([scan(\"clusterIds=\")] | length) <= 100)' >/dev/null"
emu_reset
ok "cat */cluster.json again (warm)" sh -c "cd '$B' && timeout 60 cat */cluster.json >/dev/null"
expect_eq "warm cat */cluster.json: 0 requests" 0 "$(emu_stat requests)"
ok "spec.json has the spending limit and the backup policy" \
	jqf '.spendingLimit.monthly == 0 and .automatedBackupPolicy.startTime == "07:00"' "$B/bulk-007/spec.json"
ok "st_size of cluster.json is exact" sh -c "[ \$(stat -c %s '$B/bulk-100/cluster.json') = \$(cat '$B/bulk-100/cluster.json' | wc -c) ]"

# --- a fresh mount: sed -i of the spending limit right after ls
unmount_fs
mount_fs cache_timeout=30
W=$P/production/clusters/website
ok "ls production/clusters" ls "$P/production/clusters"
emu_reset
ok "sed -i of spendingLimit after ls" sed -i 's/"monthly": 1000/"monthly": 2500/' "$W/spec.json"
expect_eq "sed -i: one batch get (the whole object), one PATCH" \
	"1 1" "$(emu_route 'GET serverless /v1beta1/clusters:batchGet') $(emu_route 'PATCH serverless /v1beta1/clusters/{id}')"
ok "cluster.json shows the new spending limit" jqf '.spendingLimit.monthly == 2500' "$W/cluster.json"
ok "spec.json too" jqf '.spendingLimit.monthly == 2500' "$W/spec.json"
ok "state after ls costs nothing more" sh -c "[ \"\$(cat '$P/staging/clusters/stage-app/state')\" = ACTIVE ]"

# --- verbatim bodies come back through the mount unchanged
V=$P/staging/clusters
ok "the replayed Starter body is cluster.json (jq -S)" sh -c "jq -S '.[0] | del(.kind, .verbatim)' '$TMPD/verbatim.json' >'$TMPD/want1' && jq -S . '$V/replayed/cluster.json' >'$TMPD/got1' && cmp -s '$TMPD/want1' '$TMPD/got1'"
ok "the replayed Dedicated body is cluster.json (jq -S)" sh -c "jq -S '.[1] | del(.kind, .verbatim)' '$TMPD/verbatim.json' >'$TMPD/want2' && jq -S . '$V/replayed-ded/cluster.json' >'$TMPD/got2' && cmp -s '$TMPD/want2' '$TMPD/got2'"
ok "the replayed Starter's spec.json has its spending limit" jqf '.spendingLimit.monthly == 1500' "$V/replayed/spec.json"
ok "the replayed Dedicated's state is shown as it comes" sh -c "[ \"\$(cat '$V/replayed-ded/state')\" = ACTIVE ]"

finish
