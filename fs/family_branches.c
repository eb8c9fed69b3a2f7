/*
 * family_branches.c — clusters/<c>/branches/ and branches/<b>/, for
 * Starter and Essential clusters only (serverless v1beta1 BranchService:
 * GET POST /clusters/{c}/branches, GET DELETE /clusters/{c}/branches/{b},
 * POST /clusters/{c}/branches/{b}:reset). A Dedicated cluster has no
 * branches/ directory (the row sits under SLS_CLUSTER only).
 *
 * A branch is named by its displayName (its id, bran-…, always resolves),
 * shows branch.json, id, state (CREATING → ACTIVE, reset: RESTORING →
 * ACTIVE), wait, ctl (`reset`) and .error. mkdir NAME creates a branch
 * from branches/.template.json ({parentId, parentTimestamp}: the parent is
 * the cluster unless it names one of its branches; no timestamp = now);
 * rmdir deletes.
 *
 * List items are whole: ListBranchesResponse.branches are Branch objects
 * and the list takes no `view` (only GET has view=BASIC|FULL, default
 * FULL), so the listing fills the object cache and reading every
 * branch.json costs nothing after `ls` (a GET only when an object expired alone).
 */
#include "tcfs.h"
#include "validate.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define BRANCH_NAME_MAX 64

static const struct tcfs_file_desc branches_files[] = {
	{ .name = ".template.json", .type = TCFS_F_TEMPLATE, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

static const struct tcfs_file_desc branch_files[] = {
	{ .name = "branch.json", .type = TCFS_F_OBJECT, .mode = 0444 },
	{ .name = "id", .type = TCFS_F_ID, .mode = 0444 },
	{ .name = "state", .type = TCFS_F_STATE, .mode = 0444 },
	{ .name = "wait", .type = TCFS_F_WAIT, .mode = 0444 },
	{ .name = "ctl", .type = TCFS_F_CTL, .mode = 0644 },
	{ .name = ".error", .type = TCFS_F_ERROR, .mode = 0444 },
};

/* Branch.displayName: required; the spec publishes no pattern, the API
 * takes 1..64 characters. The mount also refuses what it could not show
 * safely: invalid UTF-8, control characters, leading or trailing blanks. */
static int check_branch_name(const char *name, char *msg, size_t msgsz)
{
	size_t len = strlen(name), chars = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		chars += (*p & 0xC0) != 0x80;
	if (len < 1 || chars > BRANCH_NAME_MAX || !tcfs_utf8_valid(name, len) ||
	    tcfs_has_control(name) || isspace((unsigned char)name[0]) ||
	    isspace((unsigned char)name[len - 1])) {
		snprintf(msg, msgsz, "displayName: a branch name is 1 to %d "
			 "characters of UTF-8 text, without control characters "
			 "or leading or trailing blanks", BRANCH_NAME_MAX);
		return -EINVAL;
	}
	return 0;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Strict RFC 3339: YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM), nothing after. */
static int rfc3339_syntax(const char *s)
{
	const char *p;

	if (strlen(s) < 20 || !digits(s, 4) || s[4] != '-' ||
	    !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2) ||
	    (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2) ||
	    s[13] != ':' || !digits(s + 14, 2) || s[16] != ':' ||
	    !digits(s + 17, 2))
		return 0;
	p = s + 19;
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			return 0;
		for (p++; isdigit((unsigned char)*p); p++)
			;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
		return 1;
	return (*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' &&
	       digits(p + 4, 2) && p[6] == '\0';
}

/* parentId: the cluster itself or one of its branches (bran-…). */
static int check_parent_id(const char *pid, const char *cluster_id,
			   char *msg, size_t msgsz)
{
	const char *p;

	if (cluster_id && strcmp(pid, cluster_id) == 0)
		return 0;
	if (strncmp(pid, "bran-", 5) == 0 && pid[5] && strlen(pid) <= 64) {
		for (p = pid + 5; *p; p++)
			if (!islower((unsigned char)*p) &&
			    !isdigit((unsigned char)*p))
				break;
		if (!*p)
			return 0;
	}
	snprintf(msg, msgsz, "parentId must be the cluster's id (%s) or the "
		 "id of one of its branches (bran-…)", cluster_id ? cluster_id : "?");
	return -EINVAL;
}

static char *branches_template(const struct tcfs_node *coll)
{
	const char *cid = coll->nids >= 2 ? coll->ids[1] : "";
	json_t *t = json_pack("{s:s, s:n}", "parentId", cid, "parentTimestamp");
	size_t len;
	char *text = t ? tcfs_render_json(t, &len) : NULL;

	json_decref(t);
	return text;
}

/* {displayName: NAME, parentId, parentTimestamp?} from the template. */
static int branch_body(json_t *tpl, const char *name,
		       const struct tcfs_node *coll, json_t **body,
		       enum tcfs_kind *kind, char *msg, size_t msgsz)
{
	const char *cid = coll->nids >= 2 ? coll->ids[1] : NULL;
	json_t *pid, *pts, *v;
	const char *key, *pidtext;
	time_t t = 0;

	*body = NULL;
	if (tpl && !json_is_object(tpl)) {
		snprintf(msg, msgsz, ".template.json must be an object with "
			 "\"parentId\" and \"parentTimestamp\"");
		return -EINVAL;
	}
	json_object_foreach(tpl, key, v) {
		if (strcmp(key, "parentId") != 0 &&
		    strcmp(key, "parentTimestamp") != 0) {
			snprintf(msg, msgsz, ".template.json: unknown field "
				 "\"%.64s\" (a branch takes parentId and "
				 "parentTimestamp)", key);
			return -EINVAL;
		}
	}
	pid = json_object_get(tpl, "parentId");
	pts = json_object_get(tpl, "parentTimestamp");
	if (pid && !json_is_null(pid) && !json_is_string(pid)) {
		snprintf(msg, msgsz, "parentId must be a string");
		return -EINVAL;
	}
	pidtext = json_is_string(pid) && *json_string_value(pid)
		  ? json_string_value(pid) : cid;
	if (!pidtext || check_parent_id(pidtext, cid, msg, msgsz))
		return -EINVAL;
	if (pts && !json_is_null(pts)) {
		if (!json_is_string(pts) || !rfc3339_syntax(json_string_value(pts)) ||
		    !(t = tcfs_parse_time(json_string_value(pts)))) {
			snprintf(msg, msgsz, "parentTimestamp must be null (now) "
				 "or an RFC 3339 time, such as "
				 "2024-01-15T08:00:00Z");
			return -EINVAL;
		}
		if (t > time(NULL)) {
			snprintf(msg, msgsz, "parentTimestamp is in the future");
			return -EINVAL;
		}
	}
	*kind = TCFS_K_BRANCH;
	*body = json_pack("{s:s, s:s}", "displayName", name, "parentId", pidtext);
	if (*body && pts && json_is_string(pts))
		json_object_set(*body, "parentTimestamp", pts);
	return *body ? 0 : -ENOMEM;
}

static const struct tcfs_create branch_create = {
	.check_name = check_branch_name,
	.template_default = branches_template,
	.body = branch_body,
};

/* reset: the API answers the Branch (RESTORING), which the cache shows. */
static const struct tcfs_verb branch_verbs[] = {
	{ .usage = "reset", .call = TCFS_CALL(tc_desc_branch_reset, 1, 2),
	  .effect = TCFS_EFFECT_REFRESH_SELF },
};

const struct tcfs_kind_desc tcfs_row_branches = {
	.kind = TCFS_K_BRANCHES, .label = "branches", .cls = TCFS_C_COLLECTION,
	.parents = { TCFS_K_SLS_CLUSTER }, .nparents = 1,
	.dir_name = "branches", TCFS_FILES(branches_files), .scratch_ok = 1,
	.sources = { { TCFS_K_BRANCH, TCFS_K_SLS_CLUSTER } }, .nsources = 1,
	.mkdir = &branch_create,
};

/* ids: 0 project, 1 cluster, 2 branch */
const struct tcfs_kind_desc tcfs_row_branch = {
	.kind = TCFS_K_BRANCH, .label = "branch", .cls = TCFS_C_RESOURCE,
	.parents = { TCFS_K_BRANCHES }, .nparents = 1,
	TCFS_FILES(branch_files),
	.id_key = "branchId", .name_key = "displayName", .state_key = "state",
	.mtime_keys = { "updateTime", "createTime" },
	.list = TCFS_CALL(tc_desc_branches_list, 1),
	.get = TCFS_CALL(tc_desc_branch_get, 1, 2),
	.create = TCFS_CALL(tc_desc_branch_create, 1),
	.remove = TCFS_CALL(tc_desc_branch_delete, 1, 2),
	TCFS_VERBS(branch_verbs),
};
