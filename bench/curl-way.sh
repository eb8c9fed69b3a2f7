#!/bin/bash
# bench/curl-way.sh WORKLOAD [ARGS] — the benchmark's workloads done the way
# a user scripts TiDB Cloud without the mount: `curl --digest` and `jq`, one
# curl per list page and per object, one at a time (no parallelism).
#
#   w1 PROJECT              the clusters of PROJECT as a table (ls -l)
#   w2                      every project and cluster path (find -type f)
#   w3                      every cluster object of the org, as a JSON array
#                           count (find -name cluster.json -exec cat | jq -s)
#   w5 PROJECT N            N edits: GET a Starter cluster, PATCH its
#                           spendingLimit.monthly (sed -i on spec.json)
#   w7down CLUSTER EXPORT FILE OUT   download an export file (presigned URL)
#   w7up CLUSTER FILE PART_MIB       upload a CSV: startUpload, PUT the parts,
#                           completeUpload, then create the LOCAL import
#
# Keys: TIDBCLOUD_PUBLIC_KEY / TIDBCLOUD_PRIVATE_KEY. CURL_EXTRA is added to
# every curl (the benchmark passes "--connect-to ::127.0.0.1:PORT --cacert
# tests/certs/ca.pem" to reach the emulator).
set -eu -o pipefail
V1=https://api.tidbcloud.com/api/v1beta
SL=https://serverless.tidbapi.com/v1beta1
DED=https://dedicated.tidbapi.com/v1beta1
read -r -a EXTRA <<<"${CURL_EXTRA:-}"

api() { # api [curl args] URL
	curl -sS --fail-with-body --digest -u "$TIDBCLOUD_PUBLIC_KEY:$TIDBCLOUD_PRIVATE_KEY" \
		"${EXTRA[@]}" -H 'Accept: application/json' "$@"
}
json() { # json METHOD URL BODY
	api -X "$1" -H 'Content-Type: application/json' --data-binary "$3" "$2"
}

projects() { # one {id,name} per line
	local page=1 n out
	while :; do
		out=$(api "$V1/projects?page=$page&page_size=100")
		jq -c '.items[] | {id, name}' <<<"$out"
		n=$(jq '.items | length' <<<"$out")
		[ "$n" -lt 100 ] && break
		page=$((page + 1))
	done
}
project_id() { projects | jq -r --arg n "$1" 'select(.name == $n) | .id' | head -1; }

# clusters_on s|d PROJECT_ID: the cluster objects of one host, one a line
clusters_on() {
	local base token="" out
	if [ "$1" = s ]; then base="$SL/clusters?pageSize=100&filter=projectId%3D$2"
	else base="$DED/clusters?pageSize=100&projectId=$2"; fi
	while :; do
		out=$(api "$base${token:+&pageToken=$token}")
		jq -c '.clusters[]' <<<"$out"
		token=$(jq -r '.nextPageToken // empty' <<<"$out")
		[ -n "$token" ] || break
	done
}
clusters() { clusters_on s "$1"; clusters_on d "$1"; }

case "${1:-}" in
w1)
	pid=$(project_id "$2")
	clusters "$pid" | jq -r '[.displayName, .clusterId, .state,
		(.servicePlan // "Dedicated"), .createTime] | @tsv' | sort
	;;
w2)
	projects | while read -r p; do
		pid=$(jq -r .id <<<"$p"); pn=$(jq -r .name <<<"$p")
		echo "$pn/project.json"
		clusters "$pid" | jq -r --arg p "$pn" '"\($p)/clusters/\(.displayName)/cluster.json"'
	done
	;;
w3)
	projects | while read -r p; do
		pid=$(jq -r .id <<<"$p")
		for id in $(clusters_on s "$pid" | jq -r .clusterId); do
			api "$SL/clusters/$id"; echo
		done
		for id in $(clusters_on d "$pid" | jq -r .clusterId); do
			api "$DED/clusters/$id"; echo
		done
	done | jq -s length
	;;
w5)
	pid=$(project_id "$2")
	ids=$(clusters_on s "$pid" | jq -r 'select(.servicePlan == "Starter") | .clusterId')
	head -n "$3" <<<"$ids" | { i=0; while read -r id; do
		i=$((i + 1))
		api "$SL/clusters/$id" | jq --argjson m "$i" \
			'{cluster: {spendingLimit: {monthly: (.spendingLimit.monthly + $m)}},
			  updateMask: "spendingLimit.monthly"}' >"${TMPDIR:-/tmp}/curl-way.$$"
		json PATCH "$SL/clusters/$id" "@${TMPDIR:-/tmp}/curl-way.$$" >/dev/null
	done; rm -f "${TMPDIR:-/tmp}/curl-way.$$"; echo "$i edits"; }
	;;
w7down)
	url=$(json POST "$SL/clusters/$2/exports/$3/files:download" \
		"{\"fileNames\": [\"$4\"]}" | jq -r '.files[0].url')
	curl -sS --fail "${EXTRA[@]}" -o "$5" "$url"
	;;
w7up)
	cl=$2 file=$3 part=$(( $4 * 1024 * 1024 ))
	size=$(stat -c %s "$file"); n=$(( (size + part - 1) / part ))
	name=$(basename "$file")
	start=$(api -X POST "$SL/clusters/$cl/imports:startUpload?fileName=$name&partNumber=$n&targetDatabase=bench&targetTable=orders")
	uid=$(jq -r .uploadId <<<"$start")
	parts="[]" dir=$(mktemp -d "${TMPDIR:-/tmp}/curl-way.XXXXXX")
	split -b "$part" -d -a 5 "$file" "$dir/p"
	for i in $(seq 1 "$n"); do
		url=$(jq -r --argjson i "$i" '.uploadUrl[$i - 1]' <<<"$start")
		etag=$(curl -sS --fail "${EXTRA[@]}" -T "$dir/p$(printf %05d $((i - 1)))" \
			-o /dev/null -w '%header{etag}' "$url")
		parts=$(jq -c --argjson i "$i" --arg e "$etag" '. + [{partNumber: $i, etag: $e}]' <<<"$parts")
	done
	rm -rf "$dir"
	[ "$n" -eq 1 ] && parts="[]"
	json POST "$SL/clusters/$cl/imports:completeUpload?uploadId=$uid" "$parts" >/dev/null
	json POST "$SL/clusters/$cl/imports" "{\"importOptions\": {\"fileType\": \"CSV\"},
		\"source\": {\"type\": \"LOCAL\", \"local\": {\"uploadId\": \"$uid\",
		\"targetDatabase\": \"bench\", \"targetTable\": \"orders\"}}}" | jq -r .importId
	;;
*)
	sed -n '2,20s/^# \{0,1\}//p' "$0" >&2
	exit 2
	;;
esac
