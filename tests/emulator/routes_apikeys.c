/*
 * routes_apikeys.c — iam.tidbapi.com /v1beta1/apikeys (iam-v1beta1.json),
 * on the key table of auth.c (the keys that authenticate).
 *
 *   GET    /v1beta1/apikeys?projectId&pageSize&pageToken
 *          → {apiKeys[], nextPageToken} (pageSize 0 = 100); without
 *          projectId every key of the organization, with it the keys of
 *          that project
 *   POST   /v1beta1/apikeys {displayName, projectId?, role} → ApiKey WITH
 *          secretKey (the only answer that carries it)
 *   GET    /v1beta1/apikeys/{accessKey} → ApiKey
 *   PATCH  /v1beta1/apikeys/{accessKey} {displayName?, projectId?, role?}
 *          → ApiKey
 *   DELETE /v1beta1/apikeys/{accessKey} → {}
 *
 * ApiKey: {accessKey, displayName, name "orgs/{org}/apiKeys/{accessKey}",
 * role[, projectId]} — projectId (a string) only on a key of a project: the
 * published ApiKey has no field for it; the emulator adds it so that a
 * client can show it. Every route needs the caller's key to be an
 * Organization Owner (org:owner): else 403 in the IAM error body.
 * 400: displayName 1..64 characters (required on create), role one of the
 * published roles (required on create), an org:* role with projectId 0 or
 * none, a project:* role with the projectId of a project of the org,
 * projectId an integer (or a string of digits). 404: an unknown key.
 * Seed: "apiKeys": [{accessKey, secretKey, role, displayName, projectId?}].
 */
#include "auth.h"
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool owner(const struct emu_request *rq, struct emu_response *rs)
{
	if (strcmp(emu_auth_caller_role(), "org:owner") == 0)
		return true;
	emu_error(rs, rq->family, 403, EMU_RPC_FAILED_PRECONDITION,
		  "Permission denied: the API key %s has the role %s; managing "
		  "API keys requires the Organization Owner role (org:owner)",
		  emu_auth_caller_key(), emu_auth_caller_role());
	return false;
}

/* projectId of a body or the query: "" for none or 0, the decimal id, or
 * NULL with a 400. */
static const char *project_of(const struct emu_request *rq,
			      struct emu_response *rs, json_t *v, char buf[32])
{
	const char *s = json_string_value(v);

	buf[0] = '\0';
	if (!v || json_is_null(v))
		return buf;
	if (json_is_integer(v) && json_integer_value(v) >= 0)
		snprintf(buf, 32, "%lld", (long long)json_integer_value(v));
	else if (s && *s && strlen(s) < 32 && strspn(s, "0123456789") == strlen(s))
		snprintf(buf, 32, "%s", s);
	else {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "projectId must be an integer");
		return NULL;
	}
	if (strcmp(buf, "0") == 0)
		buf[0] = '\0';
	if (buf[0] && !emu_model_project_find(buf)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "project %s not found", buf);
		return NULL;
	}
	return buf;
}

/* The role and the project agree. */
static int check_scope(const struct emu_request *rq, struct emu_response *rs,
		       const char *role, const char *project)
{
	bool pr;

	if (!emu_auth_role_valid(role, &pr)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "role must be one of org:owner, org:member, "
			  "org:billing_admin, org:billing_viewer, org:audit_admin, "
			  "project:owner, project:dev, project:readonly, "
			  "project:ctl_plane_viewer");
		return -1;
	}
	if (pr && !*project) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "role %s needs the projectId of a project", role);
		return -1;
	}
	if (!pr && *project) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "role %s is an organization role: projectId must be 0",
			  role);
		return -1;
	}
	return 0;
}

static void list_keys(const struct emu_request *rq, struct emu_response *rs)
{
	const char *q = emu_query(rq, "projectId");
	json_t *v = q ? json_string(q) : NULL;
	char buf[32];
	const char *p;

	if (!owner(rq, rs))
		goto out;
	if (!(p = project_of(rq, rs, v, buf)))
		goto out;
	emu_page_answer_no_total(rq, rs, 100, "apiKeys",
				 emu_auth_keys_list(q && *p ? p : NULL));
out:
	json_decref(v);
}

static void create_key(const struct emu_request *rq, struct emu_response *rs)
{
	json_t *body, *out = NULL;
	const char *project;
	char buf[32];

	if (!owner(rq, rs) || !(body = emu_body_object(rq, rs)))
		return;
	if (emu_check_str(rq, rs, body, "displayName", "displayName", 1, 64,
			  true) ||
	    emu_check_str(rq, rs, body, "role", "role", 1, 0, true) ||
	    !(project = project_of(rq, rs, json_object_get(body, "projectId"),
				   buf)) ||
	    check_scope(rq, rs, emu_fstr(body, "role"), project))
		goto out;
	if (emu_auth_key_add(NULL, NULL, emu_fstr(body, "role"),
			     emu_fstr(body, "displayName"), project, &out) != 0) {
		emu_error(rs, rq->family, 500, EMU_RPC_INTERNAL,
			  "could not create the API key");
		goto out;
	}
	rs->body = out;
out:
	json_decref(body);
}

static json_t *find_key(const struct emu_request *rq, struct emu_response *rs)
{
	json_t *k = emu_auth_key_get(rq->ids[0]);

	if (!k)
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "API key %s not found", rq->ids[0]);
	return k;
}

static void get_key(const struct emu_request *rq, struct emu_response *rs)
{
	json_t *k;

	if (owner(rq, rs) && (k = find_key(rq, rs)))
		rs->body = k;   /* else rs holds the 404 */
}

static void update_key(const struct emu_request *rq, struct emu_response *rs)
{
	json_t *cur, *body;
	const char *project, *role;
	char buf[32], curp[32];

	if (!owner(rq, rs) || !(cur = find_key(rq, rs)))
		return;
	if (!(body = emu_body_object(rq, rs))) {
		json_decref(cur);
		return;
	}
	snprintf(curp, sizeof(curp), "%s",
		 emu_fstr(cur, "projectId") ? emu_fstr(cur, "projectId") : "");
	role = emu_fstr(body, "role") ? emu_fstr(body, "role")
				       : emu_fstr(cur, "role");
	if (emu_check_str(rq, rs, body, "displayName", "displayName", 1, 64,
			  false) ||
	    emu_check_str(rq, rs, body, "role", "role", 1, 0, false) ||
	    !(project = project_of(rq, rs, json_object_get(body, "projectId"),
				   buf)))
		goto out;
	if (!json_object_get(body, "projectId"))
		project = curp;
	if (check_scope(rq, rs, role, project))
		goto out;
	if (!json_object_get(body, "displayName") &&
	    !json_object_get(body, "role") &&
	    !json_object_get(body, "projectId")) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "nothing to update: give displayName, role or projectId");
		goto out;
	}
	emu_auth_key_update(rq->ids[0], emu_fstr(body, "displayName"), role,
			    project);
	rs->body = emu_auth_key_get(rq->ids[0]);
out:
	json_decref(body);
	json_decref(cur);
}

static void delete_key(const struct emu_request *rq, struct emu_response *rs)
{
	if (!owner(rq, rs))
		return;
	if (emu_auth_key_delete(rq->ids[0]) != 0) {
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "API key %s not found", rq->ids[0]);
		return;
	}
	rs->body = json_object();
}

static int seed_keys(json_t *seed, char *err, size_t errlen)
{
	json_t *list, *k;
	size_t i;

	if (emu_seed_array(seed, "apiKeys", &list, err, errlen))
		return -1;
	json_array_foreach(list, i, k) {
		const char *p = emu_fstr(k, "projectId"), *role = emu_fstr(k, "role");
		bool pr;

		if (!emu_fstr(k, "accessKey") || !emu_fstr(k, "secretKey") ||
		    !emu_auth_role_valid(role, &pr) || pr != (p && *p) ||
		    (p && *p && !emu_model_project_find(p)) ||
		    emu_auth_key_add(emu_fstr(k, "accessKey"),
				     emu_fstr(k, "secretKey"), role,
				     emu_fstr(k, "displayName"), p, NULL) != 0) {
			snprintf(err, errlen, "apiKeys[%zu]: accessKey, secretKey "
				 "and a published role (a project:* one with the "
				 "projectId of a project) are required; accessKey "
				 "unique", i);
			return -1;
		}
	}
	return 0;
}

static const struct emu_route routes[] = {
	{ EMU_FAM_IAM, "GET", "/v1beta1/apikeys", list_keys },
	{ EMU_FAM_IAM, "POST", "/v1beta1/apikeys", create_key },
	{ EMU_FAM_IAM, "GET", "/v1beta1/apikeys/{id}", get_key },
	{ EMU_FAM_IAM, "PATCH", "/v1beta1/apikeys/{id}", update_key },
	{ EMU_FAM_IAM, "DELETE", "/v1beta1/apikeys/{id}", delete_key },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module apikeys_module = { "apikeys", routes, seed_keys };
EMU_MODULE(apikeys_module)
