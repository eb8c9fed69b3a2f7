#!/bin/bash
# Issue 10, regions / MSP / AWS CMEK through the mount:
#  regions/dedicated/<region>/{region.json,node-specs.json,id} (dedicated
#  GET /v1beta1/regions once, GET /regions/{r}/nodeSpecs once per region);
#  msp/customers/<c>/{customer.json,signup-url,id} (msp.tidbapi.com; a
#  non-MSP org: EACCES and .error quotes the 403);
#  projects/<p>/aws-cmek.json (v1beta GET; writes POST {specs}, checked
#  locally first: 0 requests on bad input).
. "$(dirname "$0")/lib.sh"

REG="dedicated /v1beta1/regions" NS="dedicated /v1beta1/regions/{id}/nodeSpecs"
MSPL="msp /v1beta1/msp/mspCustomers" MSPG="msp /v1beta1/msp/mspCustomers/{id}"
MSPP="msp /v1beta1/msp/customerSignupUrl"
CMG="GET v1beta /api/v1beta/projects/{id}/aws-cmek"
CMP="POST v1beta /api/v1beta/projects/{id}/aws-cmek"
r() { emu_route "$1"; }
# put_cp TEXT FILE: write TEXT through cp, which reports the close error
put_cp() { printf '%s\n' "$1" > "$TMPD/put.json" && cp "$TMPD/put.json" "$2"; }
P_PROD=1372813089189561287 P_ANA=1372813089189702314 P_STAGE=1372813089189621599

start_emulator
mount_fs cache_timeout=30
R=$ORG/regions/dedicated

# --- regions/dedicated
emu_reset
expect_eq "ls regions/: the files and dedicated/" "dedicated dedicated.json serverless.json" \
	"$(t ls "$ORG/regions" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "ls regions/dedicated: the Dedicated regions of the listing" \
	"$(emu_api GET "https://dedicated.tidbapi.com/v1beta1/regions?pageSize=100" | sed '$d' | jq -r '[.regions[].regionId] | sort | join(" ")')" \
	"$(t ls "$R" | sort | tr '\n' ' ' | sed 's/ $//')"
emu_reset
t ls -l "$R" >/dev/null
t cat "$R"/*/region.json >/dev/null
t cat "$ORG/regions/dedicated.json" >/dev/null
expect_eq "ls -l, cat */region.json, dedicated.json: no request within cache_timeout" 0 "$(r "GET $REG")"
ok "region.json: regionId, cloudProvider, displayName" jqf \
	'.regionId == "aws-us-east-1" and .cloudProvider == "aws" and (.displayName | length > 0)' "$R/aws-us-east-1/region.json"
emu_reset
expect_eq "node-specs.json is the emulator's node specs (every page)" \
	"$(emu_api GET "https://dedicated.tidbapi.com/v1beta1/regions/aws-us-east-1/nodeSpecs?pageSize=100" | sed '$d' | jq -cS .nodeSpecs)" \
	"$(t jq -cS . "$R/aws-us-east-1/node-specs.json")"
expect_eq "node-specs.json: one request" 2 "$(r "GET $NS")"   # the emu_api call + the mount's
ok "node-specs.json: componentType, nodeSpecKey, vCpu, memorySizeGi" jqf \
	'map(select(.componentType == "TIKV" and .nodeSpecKey == "8C32G"))[0] | .vCpu == 8 and .memorySizeGi == 32 and .maxStorageSizeGi > 0' \
	"$R/aws-us-east-1/node-specs.json"
ok "ls -l: st_size of node-specs.json is exact" sh -c \
	"[ \$(stat -c %s '$R/gcp-us-central1/node-specs.json') = \$(cat '$R/gcp-us-central1/node-specs.json' | wc -c) ]"
emu_reset
t find "$R" -type f >/dev/null
expect_eq "find regions/dedicated: 0 list requests (cached)" 0 "$(r "GET $REG")"
expect_le "find regions/dedicated: at most one nodeSpecs request per region" "$(ls "$R" | wc -l)" "$(r "GET $NS")"
expect_fail_errno "an unknown region is ENOENT" ENOENT stat "$R/aws-mars-1"
expect_fail_errno "regions/dedicated is read-only: mkdir" EPERM mkdir "$R/aws-new-1"
expect_fail_errno "node-specs.json is read-only" EACCES sh -c "echo x > '$R/aws-us-east-1/node-specs.json'"

# --- msp/customers
C=$ORG/msp/customers
emu_reset
expect_eq "ls msp/customers: by orgName" "acme-retail globex initech" \
	"$(t ls "$C" | sort | tr '\n' ' ' | sed 's/ $//')"
t ls -l "$C" >/dev/null
ok "cat */customer.json: every orgId" sh -c "cat '$C'/*/customer.json | jq -s -e 'length == 3'"
expect_eq "ls, ls -l, cat */customer.json: one list request" 1 "$(r "GET $MSPL")"
expect_eq "... and no GET per customer" 0 "$(r "GET $MSPG")"
expect_eq "customer.json is the emulator's object" \
	"$(emu_api GET https://msp.tidbapi.com/v1beta1/msp/mspCustomers/1369847559692234002 | sed '$d' | jq -cS .)" \
	"$(t jq -cS . "$C/globex/customer.json")"
expect_eq "the orgId is an alias" "globex" "$(t jq -r .orgName "$C/1369847559692234002/customer.json")"
expect_eq "id holds the orgId" 1369847559692234002 "$(t cat "$C/globex/id")"
emu_reset
U=$(t cat "$C/globex/signup-url")
case "$U" in https://*third_party_account_token=*) _pass "signup-url: a signup URL" ;; *) _fail "signup-url: a signup URL" "$U" ;; esac
expect_eq "cat signup-url: one POST" 1 "$(r "POST $MSPP")"
expect_eq "signup-url is one line (the URL and a newline)" 1 "$(t cat "$C/globex/signup-url" | wc -l)"
ok "the signup token is not in the daemon's log" sh -c "! grep -qF '${U##*=}' '$DAEMON_LOG'"
U2=$(t cat "$C/acme-retail/signup-url")
ok "each customer has its own signup URL" test "$U" != "$U2"
emu_reset
t find "$ORG/msp" >/dev/null
expect_eq "find msp: no list request (cached)" 0 "$(r "GET $MSPL")"
expect_le "find msp: at most one POST per customer (the signup-url sizes)" 3 "$(r "POST $MSPP")"
expect_fail_errno "signup-url is read-only" EACCES sh -c "echo x > '$C/globex/signup-url'"
expect_fail_errno "customers/ is read-only: mkdir" EPERM mkdir "$C/newco"
expect_fail_errno "customers/ is read-only: rmdir" EPERM rmdir "$C/globex"

# --- aws-cmek.json
PP=$ORG/projects/production PA=$ORG/projects/analytics PS=$ORG/projects/staging
emu_reset
ok "aws-cmek.json: the configured spec" jqf \
	'.specs == [{"region":"us-east-1","kms_arn":"arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"}]' "$PP/aws-cmek.json"
ok "aws-cmek.json of a project without CMEK: no specs" jqf '.specs == []' "$PS/aws-cmek.json"
expect_eq "reading: one GET per project" 2 "$(r "$CMG")"
ARN=arn:aws:kms:us-west-2:123456789012:key/1111-2222
emu_reset
ok "echo > aws-cmek.json configures CMEK" sh -c \
	"echo '{\"specs\":[{\"region\":\"us-west-2\",\"kms_arn\":\"$ARN\"}]}' > '$PA/aws-cmek.json'"
expect_eq "one POST" 1 "$(r "$CMP")"
expect_eq "the emulator's configuration" "$ARN" \
	"$(emu_api GET "https://api.tidbcloud.com/api/v1beta/projects/$P_ANA/aws-cmek" | sed '$d' | jq -r '.items[0].kms_arn')"
emu_reset
expect_eq "read-your-writes: the new spec at once, no GET" "$ARN" "$(t jq -r '.specs[0].kms_arn' "$PA/aws-cmek.json")"
expect_eq "... no GET" 0 "$(r "$CMG")"
emu_reset
ok "writing the same configuration again" sh -c "cat '$PA/aws-cmek.json' > '$TMPD/same.json' && cp '$TMPD/same.json' '$PA/aws-cmek.json'"
expect_eq "an unchanged configuration sends nothing" 0 "$(r "$CMP")"
emu_reset
t find "$ORG/projects" -name aws-cmek.json -size +0 >/dev/null
expect_le "find projects -name aws-cmek.json -size +0: at most one GET per project" 5 "$(r "$CMG")"
ARN2=arn:aws:kms:us-west-2:123456789012:key/3333-4444
emu_reset
ok "sed -i on aws-cmek.json" sed -i "s|$ARN|$ARN2|" "$PA/aws-cmek.json"
expect_eq "sed -i: one POST" 1 "$(r "$CMP")"
expect_eq "sed -i: the emulator has the new ARN" "$ARN2" \
	"$(emu_api GET "https://api.tidbcloud.com/api/v1beta/projects/$P_ANA/aws-cmek" | sed '$d' | jq -r '.items[0].kms_arn')"
if command -v vim >/dev/null; then
	ARN3=arn:aws:kms:us-west-2:123456789012:alias/prod
	emu_reset
	ok "vim on aws-cmek.json" timeout 20 vim -es -u NONE -i NONE -c "%s#$ARN2#$ARN3#" -c wq "$PA/aws-cmek.json"
	expect_eq "vim: one POST, the new ARN" "1 $ARN3" \
		"$(r "$CMP") $(emu_api GET "https://api.tidbcloud.com/api/v1beta/projects/$P_ANA/aws-cmek" | sed '$d' | jq -r '.items[0].kms_arn')"
else
	skip "vim on aws-cmek.json" "no vim"
fi
emu_reset
expect_fail_errno "bad kms_arn: EINVAL" EINVAL put_cp "{\"specs\":[{\"region\":\"us-west-2\",\"kms_arn\":\"arn:aws:s3:::bucket\"}]}" "$PA/aws-cmek.json"
file_has "$PA/.error" "kms_arn must be arn:aws:kms:us-west-2"
expect_fail_errno "bad region: EINVAL" EINVAL put_cp "{\"specs\":[{\"region\":\"Mars\",\"kms_arn\":\"$ARN\"}]}" "$PA/aws-cmek.json"
expect_fail_errno "two regions: EINVAL" EINVAL put_cp "{\"specs\":[{\"region\":\"us-west-2\",\"kms_arn\":\"$ARN\"},{\"region\":\"us-east-1\",\"kms_arn\":\"arn:aws:kms:us-east-1:123456789012:key/x\"}]}" "$PA/aws-cmek.json"
expect_fail_errno "not JSON: EINVAL" EINVAL put_cp 'specs' "$PA/aws-cmek.json"
expect_fail_errno "a project without aws_cmek_enabled: EINVAL" EINVAL put_cp "{\"specs\":[{\"region\":\"us-west-2\",\"kms_arn\":\"$ARN\"}]}" "$PS/aws-cmek.json"
file_has "$PS/.error" "aws_cmek_enabled"
expect_eq "bad input: no POST at all" 0 "$(r "$CMP")"
emu_reset
expect_fail_errno "another region than the configured one: the API's 400" EINVAL put_cp "{\"specs\":[{\"region\":\"us-west-2\",\"kms_arn\":\"$ARN\"}]}" "$PP/aws-cmek.json"
file_has "$PP/.error" "only be configured for one AWS region"
expect_eq "... one POST (refused by the API)" 1 "$(r "$CMP")"
ok "production unchanged" jqf '.specs[0].region == "us-east-1"' "$PP/aws-cmek.json"
unmount_fs

# --- -o ro
mount_fs cache_timeout=30,ro
emu_reset
expect_fail_errno "-o ro: aws-cmek.json is not writable" EROFS put_cp "{\"specs\":[{\"region\":\"us-west-2\",\"kms_arn\":\"$ARN\"}]}" "$ORG/projects/analytics/aws-cmek.json"
expect_eq "-o ro: no POST" 0 "$(r "$CMP")"
unmount_fs
stop_emulator

# --- an organization that is no MSP
NS_SEED=$TMPD/no-msp.json
jq 'del(.regions_msp_cmek.mspCustomers)' "$REPO/tests/emulator/default-seed.json" > "$NS_SEED"
start_emulator --seed "$NS_SEED"
mount_fs cache_timeout=30
ok "a non-MSP org still shows msp/customers" test -d "$ORG/msp/customers"
expect_fail_errno "ls msp/customers: EACCES" EACCES ls "$ORG/msp/customers"
file_has "$ORG/msp/customers/.error" "is not an MSP organization"
# the 403 is an answer about the key's rights: remembered like a listing
emu_reset
expect_fail_errno "ls msp/customers again: EACCES" EACCES ls "$ORG/msp/customers"
find "$ORG/msp" >/dev/null 2>&1
expect_eq "the 403 is remembered for cache_timeout: ls and find ask nothing" \
	0 "$(emu_routes_matching mspCustomers)"
file_has "$ORG/msp/customers/.error" "is not an MSP organization"
echo flush > "$ORG/ctl"
expect_fail_errno "after a flush the listing is asked again: EACCES" EACCES ls "$ORG/msp/customers"
expect_eq "... one request" \
	1 "$(emu_routes_matching mspCustomers)"
ok "the rest of the mount works" test -s "$ORG/projects/production/project.json"
finish
