#!/bin/bash
# completion.sh — contrib/bash-completion/tidbcloudfs sourced in bash: the
# completion function for options, -o names (after commas), values and
# ticloud profile names.
. "$(dirname "$0")/lib.sh"

H=$TMPD/chome; mkdir -p "$H/.ticloud"
printf '[work]\npublic-key = "a"\nprivate-key = "b"\n["weekend"]\npublic-key = "c"\nprivate-key = "d"\n' >"$H/.ticloud/config.toml"
comp() { # comp WORD... : the completions of the last word
	HOME=$H bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tidbcloudfs; printf "%s\n" "${COMPREPLY[@]}" | sort | xargs' \
		_ "$REPO/contrib/bash-completion/tidbcloudfs" "$@"
}
ok "the script loads and registers the function" bash -c ". '$REPO/contrib/bash-completion/tidbcloudfs'; complete -p tidbcloudfs | grep -q _tidbcloudfs"
expect_eq "-o lo → log_level=" "log_level=" "$(comp tidbcloudfs -o lo)"
expect_eq "-o ro,cache_t → ro,cache_timeout=" "ro,cache_timeout=" "$(comp tidbcloudfs -o ro,cache_t)"
expect_eq "-o ro,cache → both cache options" "ro,cache_max_mb= ro,cache_timeout=" "$(comp tidbcloudfs -o ro,cache)"
expect_eq "-o log_level=d → debug" "log_level=debug" "$(comp tidbcloudfs -o log_level=d)"
expect_eq "-o profile= → the profiles of ~/.ticloud/config.toml" "profile=weekend profile=work" "$(comp tidbcloudfs -o profile=)"
expect_eq "-oprofile=wo (no space)" "-oprofile=work" "$(comp tidbcloudfs -oprofile=wo)"
expect_eq "--do → --doctor" "--doctor" "$(comp tidbcloudfs --do)"
expect_eq "the PROFILE argument: profile names" "weekend work" "$(comp tidbcloudfs w)"
printf '[other]\npublic-key = "a"\nprivate-key = "b"\n' >"$TMPD/alt.toml"
expect_eq "profiles from -o config=FILE" "profile=other" "$(comp tidbcloudfs -o config=$TMPD/alt.toml -o profile=)"
finish
