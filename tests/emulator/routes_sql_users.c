/*
 * routes_sql_users.c — iam.tidbapi.com /v1beta1 SQL users of any cluster
 * (iam-account-v1beta1.cli.swagger.json), on the object store.
 *
 *   GET    /v1beta1/clusters/{c}/sqlUsers?pageSize&pageToken
 *          → {sqlUsers[], nextPageToken} (pageSize 0 = 100)
 *   POST   /v1beta1/clusters/{c}/sqlUsers {userName, password, builtinRole,
 *          customRoles?, authMethod?, autoPrefix?} → SqlUser
 *   GET    /v1beta1/clusters/{c}/sqlUsers/{userName} → SqlUser
 *   PATCH  /v1beta1/clusters/{c}/sqlUsers/{userName} {password?,
 *          builtinRole?, customRoles?} → SqlUser
 *   DELETE /v1beta1/clusters/{c}/sqlUsers/{userName} → {code, message}
 *
 * SqlUser: {userName, builtinRole, customRoles[], authMethod}; the password
 * is kept only as "was set" and never returned. 400 (IAM error body
 * {code, error, msgPrefix, status}): userName 1..32 characters, on a
 * Starter/Essential cluster starting with the cluster's "<userPrefix>."
 * (autoPrefix true adds it), unique; password 8..64 (required on create);
 * builtinRole role_admin|role_readwrite|role_readonly (optionally with the
 * prefix); authMethod mysql_native_password; customRoles strings.
 * 404: cluster, user. Seed: "sqlUsers": [{clusterId, userName, builtinRole,
 * customRoles?}] (userName without the prefix on Starter/Essential).
 */
#include "emu.h"
#include "family.h"
#include "model.h"
#include "modules.h"
#include "paging.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

#define KIND "sql-user"

static const char *const auth_methods[] = { "mysql_native_password", NULL };

static struct emu_cluster *any_cluster(const struct emu_request *rq,
				       struct emu_response *rs)
{
	struct emu_cluster *c = emu_model_cluster_find(rq->ids[0], false);

	if (!c)
		c = emu_model_cluster_find(rq->ids[0], true);
	if (!c)
		emu_error(rs, rq->family, 404, EMU_RPC_NOT_FOUND,
			  "cluster %s not found", rq->ids[0]);
	return c;
}

/* "<userPrefix>." of a Starter/Essential cluster, "" for Dedicated. */
static void user_prefix(const struct emu_cluster *c, char out[48])
{
	const char *p = emu_fstr(c->obj, "userPrefix");

	snprintf(out, 48, "%s%s", c->kind != EMU_KIND_DEDICATED && p ? p : "",
		 c->kind != EMU_KIND_DEDICATED && p ? "." : "");
}

static int check_role(const struct emu_request *rq, struct emu_response *rs,
		      const char *prefix, const char *role)
{
	static const char *const roles[] = { "role_admin", "role_readwrite",
					     "role_readonly" };
	size_t pl = strlen(prefix);

	for (size_t i = 0; role && i < 3; i++)
		if (strcmp(role, roles[i]) == 0 ||
		    (pl && strncmp(role, prefix, pl) == 0 &&
		     strcmp(role + pl, roles[i]) == 0))
			return 0;
	emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
		  "builtinRole must be one of role_admin, role_readwrite, "
		  "role_readonly");
	return -1;
}

/* The fields every create and update may carry. */
static int check_common(const struct emu_request *rq, struct emu_response *rs,
			json_t *body, const char *prefix, bool create)
{
	if (emu_check_str(rq, rs, body, "password", "password", 8, 64, create) ||
	    emu_check_str(rq, rs, body, "builtinRole", "builtinRole", 1, 64,
			  create) ||
	    emu_check_array_of_strings(rq, rs, body, "customRoles", "customRoles"))
		return -1;
	if (emu_fstr(body, "builtinRole") &&
	    check_role(rq, rs, prefix, emu_fstr(body, "builtinRole")))
		return -1;
	return 0;
}

static void list_users(const struct emu_request *rq, struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[0] };

	if (!any_cluster(rq, rs))
		return;
	emu_page_answer_no_total(rq, rs, 100, "sqlUsers",
				 emu_store_list(KIND, parents, 1, NULL, NULL));
}

static void create_user(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_cluster *c = any_cluster(rq, rs);
	const char *parents[1] = { rq->ids[0] };
	json_t *body, *auto_prefix, *roles;
	char prefix[48], user[160];
	const char *name;
	struct emu_object *o;

	if (!c || !(body = emu_body_object(rq, rs)))
		return;
	user_prefix(c, prefix);
	auto_prefix = json_object_get(body, "autoPrefix");
	if (emu_check_str(rq, rs, body, "userName", "userName", 1, 64, true) ||
	    check_common(rq, rs, body, prefix, true) ||
	    emu_check_enum(rq, rs, body, "authMethod", "authMethod",
			   auth_methods, false))
		goto out;
	if (auto_prefix && !json_is_boolean(auto_prefix)) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "autoPrefix must be a boolean");
		goto out;
	}
	name = emu_fstr(body, "userName");
	snprintf(user, sizeof(user), "%s%s", json_is_true(auto_prefix) ? prefix : "",
		 name);
	if (*prefix && strncmp(user, prefix, strlen(prefix)) != 0) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "userName must start with the cluster's prefix \"%s\" "
			  "(or set autoPrefix)", prefix);
		goto out;
	}
	if (strlen(user) > 32 || strlen(user) == strlen(prefix) ||
	    strpbrk(user + strlen(prefix), "/:@'\"` ")) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "userName must be 1 to 32 characters with its prefix, "
			  "without spaces, quotes, '@', '/' or ':'");
		goto out;
	}
	if (emu_store_find(KIND, parents, 1, user)) {
		emu_error(rs, rq->family, 400, EMU_RPC_ALREADY_EXISTS,
			  "SQL user %s already exists", user);
		goto out;
	}
	roles = json_object_get(body, "customRoles");
	o = emu_store_add(KIND, user, parents, 1,
			  json_pack("{s:s, s:s, s:o, s:s}", "userName", user,
				    "builtinRole", emu_fstr(body, "builtinRole"),
				    "customRoles", json_is_array(roles)
				    ? json_deep_copy(roles) : json_array(),
				    "authMethod", "mysql_native_password"),
			  NULL);
	if (!o) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "userName %s is not acceptable", user);
		goto out;
	}
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(body);
}

static struct emu_object *find_user(const struct emu_request *rq,
				    struct emu_response *rs)
{
	const char *parents[1] = { rq->ids[0] };

	if (!any_cluster(rq, rs))
		return NULL;
	return emu_find_or_404(rq, rs, KIND, parents, 1, rq->ids[1],
			       "SQL user");
}

static void get_user(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_user(rq, rs);

	if (o)
		rs->body = json_deep_copy(o->obj);
}

static void update_user(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_user(rq, rs);
	struct emu_cluster *c;
	json_t *body;
	char prefix[48];

	if (!o || !(body = emu_body_object(rq, rs)))
		return;
	c = any_cluster(rq, rs);
	user_prefix(c, prefix);
	if (check_common(rq, rs, body, prefix, false))
		goto out;
	if (!emu_fstr(body, "password") && !emu_fstr(body, "builtinRole") &&
	    !json_object_get(body, "customRoles")) {
		emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT,
			  "nothing to update: give password, builtinRole or "
			  "customRoles");
		goto out;
	}
	if (emu_fstr(body, "builtinRole"))
		json_object_set(o->obj, "builtinRole",
				json_object_get(body, "builtinRole"));
	if (json_is_array(json_object_get(body, "customRoles")))
		json_object_set(o->obj, "customRoles",
				json_object_get(body, "customRoles"));
	rs->body = json_deep_copy(o->obj);
out:
	json_decref(body);
}

static void delete_user(const struct emu_request *rq, struct emu_response *rs)
{
	struct emu_object *o = find_user(rq, rs);

	if (!o)
		return;
	emu_store_remove(o);
	rs->body = json_pack("{s:i, s:s}", "code", 200, "message", "success");
}

static int seed_users(json_t *seed, char *err, size_t errlen)
{
	json_t *list, *u, *roles;
	size_t i;

	if (emu_seed_array(seed, "sqlUsers", &list, err, errlen))
		return -1;
	json_array_foreach(list, i, u) {
		const char *cid = emu_fstr(u, "clusterId"), *name = emu_fstr(u, "userName");
		const char *role = emu_fstr(u, "builtinRole");
		struct emu_cluster *c = cid ? emu_model_cluster_find(cid, false) : NULL;
		const char *parents[1] = { cid };
		char prefix[48], user[160];

		if (cid && !c)
			c = emu_model_cluster_find(cid, true);
		if (!c || !name || !role) {
			snprintf(err, errlen, "sqlUsers[%zu]: clusterId of a "
				 "cluster, userName and builtinRole are required", i);
			return -1;
		}
		user_prefix(c, prefix);
		snprintf(user, sizeof(user), "%s%s", prefix, name);
		roles = json_object_get(u, "customRoles");
		if (!emu_store_add(KIND, user, parents, 1,
				   json_pack("{s:s, s:s, s:o, s:s}", "userName", user,
					     "builtinRole", role, "customRoles",
					     json_is_array(roles) ? json_deep_copy(roles)
					     : json_array(), "authMethod",
					     "mysql_native_password"), NULL)) {
			snprintf(err, errlen, "sqlUsers[%zu]: bad or duplicate "
				 "userName", i);
			return -1;
		}
	}
	return 0;
}

#define SU "/v1beta1/clusters/{id}/sqlUsers"
static const struct emu_route routes[] = {
	{ EMU_FAM_IAM, "GET", SU, list_users },
	{ EMU_FAM_IAM, "POST", SU, create_user },
	{ EMU_FAM_IAM, "GET", SU "/{id}", get_user },
	{ EMU_FAM_IAM, "PATCH", SU "/{id}", update_user },
	{ EMU_FAM_IAM, "DELETE", SU "/{id}", delete_user },
	{ 0, NULL, NULL, NULL }
};

static const struct emu_module sql_users_module = { "sql-users", routes,
						    seed_users };
EMU_MODULE(sql_users_module)
