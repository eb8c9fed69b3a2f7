/*
 * family_cmek.c — projects/<p>/aws-cmek.json: the AWS CMEK configuration
 * of a project (v1beta GET/POST /projects/{p}/aws-cmek). Shown as
 * {"specs": [{region, kms_arn}]} (the body that configures it; the GET
 * answers the same items); writing the file (echo >, sed -i, vim: it is a
 * TCFS_F_HOOK with a commit, editor-safe as spec.json) checks the text
 * locally and POSTs {specs}; nothing is sent when a rule fails (EINVAL, .error says
 * which) or when the project was not created with aws_cmek_enabled. The
 * answer {} is followed by read-your-writes: the cached GET holds the new
 * specs at once. A text equal to the configuration sends nothing.
 */
#include "family_cmek.h"
#include "cache.h"
#include "store.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMEK_MAX_SPECS 16
#define CMEK_MAX_ARN 2048

static const struct tcfs_call get_call = TCFS_CALL(tc_desc_aws_cmek_get, 0);
static const struct tcfs_call post_call = TCFS_CALL(tc_desc_aws_cmek_create, 0);

/* "us-west-2", "ap-southeast-1", "us-gov-west-1": letters-…-digit. */
static int region_ok(const char *r)
{
	size_t n = strlen(r), parts = 0;
	const char *p = r;

	if (n < 6 || n > 32 || !isdigit((unsigned char)r[n - 1]))
		return 0;
	while (*p) {
		size_t w = 0;

		while (p[w] && p[w] != '-')
			w++;
		if (w == 0)
			return 0;
		for (size_t i = 0; i < w; i++)
			if (p[w] == '\0' ? !isdigit((unsigned char)p[i])
			    : !islower((unsigned char)p[i]))
				return 0;
		parts++;
		p += w;
		if (*p == '-')
			p++;
		else
			break;
	}
	return parts >= 3 && *p == '\0';
}

static int arn_ok(const char *arn, const char *region)
{
	size_t rl = strlen(region);

	if (strlen(arn) > CMEK_MAX_ARN || strncmp(arn, "arn:aws:kms:", 12) != 0)
		return 0;
	arn += 12;
	if (strncmp(arn, region, rl) != 0 || arn[rl] != ':')
		return 0;
	arn += rl + 1;
	for (int i = 0; i < 12; i++, arn++)
		if (!isdigit((unsigned char)*arn))
			return 0;
	if (*arn++ != ':')
		return 0;
	if (strncmp(arn, "key/", 4) == 0)
		arn += 4;
	else if (strncmp(arn, "alias/", 6) == 0)
		arn += 6;
	else
		return 0;
	if (!*arn)
		return 0;
	for (; *arn; arn++)
		if (!isgraph((unsigned char)*arn))
			return 0;
	return 1;
}

int tcfs_cmek_body(const char *text, size_t len, json_t **body, char *msg,
		   size_t msgsz)
{
	json_error_t jerr;
	json_t *doc, *specs, *out, *s;
	const char *region = NULL, *key;
	size_t i;
	json_t *v;
	int r = -EINVAL;

	*body = NULL;
	if (len > TCFS_MAX_TEXT) {
		snprintf(msg, msgsz, "larger than %d bytes", TCFS_MAX_TEXT);
		return -EFBIG;
	}
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		snprintf(msg, msgsz, "not valid JSON (line %d: %s)", jerr.line,
			 jerr.text);
		return -EINVAL;
	}
	if (!json_is_object(doc)) {
		snprintf(msg, msgsz, "must be an object {\"specs\": [{\"region\", "
			 "\"kms_arn\"}]}");
		goto out;
	}
	json_object_foreach(doc, key, v)
		if (strcmp(key, "specs") != 0 && strcmp(key, "items") != 0) {
			snprintf(msg, msgsz, "unknown field \"%s\" (only \"specs\")",
				 key);
			goto out;
		}
	specs = json_object_get(doc, "specs");
	if (!specs)
		specs = json_object_get(doc, "items");
	if (!json_is_array(specs) || json_array_size(specs) == 0 ||
	    json_array_size(specs) > CMEK_MAX_SPECS) {
		snprintf(msg, msgsz, "specs must be an array of 1 to %d "
			 "{\"region\", \"kms_arn\"} objects", CMEK_MAX_SPECS);
		goto out;
	}
	out = json_array();
	json_array_foreach(specs, i, s) {
		const char *reg = tcfs_json_str_borrow(s, "region");
		const char *arn = tcfs_json_str_borrow(s, "kms_arn");

		if (!json_is_object(s) || json_object_size(s) != 2 || !reg || !arn) {
			snprintf(msg, msgsz, "specs[%zu] must be exactly "
				 "{\"region\": STRING, \"kms_arn\": STRING}", i);
			json_decref(out);
			goto out;
		}
		if (!region_ok(reg)) {
			snprintf(msg, msgsz, "specs[%zu].region \"%.64s\" is not an "
				 "AWS region code (e.g. \"us-west-2\")", i, reg);
			json_decref(out);
			goto out;
		}
		if (!arn_ok(arn, reg)) {
			snprintf(msg, msgsz, "specs[%zu].kms_arn must be "
				 "arn:aws:kms:%s:ACCOUNT-ID(12 digits):key/KEY-ID "
				 "(or alias/NAME), at most %d characters", i, reg,
				 CMEK_MAX_ARN);
			json_decref(out);
			goto out;
		}
		if (region && strcmp(region, reg) != 0) {
			snprintf(msg, msgsz, "CMEK can only be configured for one "
				 "AWS region per project (%s and %s given)", region,
				 reg);
			json_decref(out);
			goto out;
		}
		region = reg;
		json_array_append_new(out, json_pack("{s:s, s:s}", "region", reg,
						     "kms_arn", arn));
	}
	*body = json_pack("{s:o}", "specs", out);
	r = *body ? 0 : -ENOMEM;
out:
	json_decref(doc);
	return r;
}

/* The GET answer {items} → {specs}. */
static json_t *shown(json_t *answer)
{
	json_t *items = json_object_get(answer, "items");

	/* "o" takes the reference: a new empty array is not leaked */
	return json_pack("{s:o}", "specs", json_is_array(items) ?
			 json_incref(items) : json_array());
}

int tcfs_cmek_render(const struct tcfs_node *n, char **text, size_t *len,
		     time_t *mtime)
{
	struct tcfs_org *org = tcfs_org_of(n);
	struct tc_error err;
	json_t *obj = NULL, *v;
	int r;

	if (!org)
		return -ENOENT;
	tc_error_clear(&err);
	r = tcfs_fetch_call(org, n, &get_call, &obj, &err);
	if (r != 0) {
		if (r != -ENOENT) {
			char buf[900];

			tc_error_format(&err, buf, sizeof(buf));
			tcfs_error_set(n, "reading aws-cmek.json: %s", buf);
		}
		return r;
	}
	v = shown(obj);
	json_decref(obj);
	*text = v ? tcfs_render_json(v, len) : NULL;
	json_decref(v);
	return *text ? 0 : -ENOMEM;
}

/* aws-cmek.json.rejected: a refused text is kept, so no edit is lost. */
static int refused(const struct tcfs_node *dir, const char *text, size_t len,
		   int r)
{
	char dkey[TCFS_KEY_MAX], rkey[TCFS_REJECTED_KEY_MAX];

	tcfs_node_dirkey(dir, dkey, sizeof(dkey));
	tcfs_rejected_key(dkey, "aws-cmek.json.rejected", rkey, sizeof(rkey));
	tcfs_store_set(rkey, TCFS_SLOT_REJECTED, text, len);
	return r;
}

int tcfs_cmek_commit(const struct tcfs_node *n, const char *text, size_t len)
{
	struct tcfs_org *org = tcfs_org_of(n);
	struct tcfs_node dir = *n;   /* n is the project's directory node */
	struct tc_error err;
	char msg[600] = "", key[TCFS_KEY_MAX];
	json_t *body = NULL, *proj = NULL, *out = NULL, *cur = NULL;
	int r;

	if (!org)
		return -ENOENT;
	if (tcfs_g->opts.ro)
		return -EROFS;
	r = tcfs_cmek_body(text, len, &body, msg, sizeof(msg));
	if (r != 0) {
		tcfs_error_set(&dir, "aws-cmek.json of project %s rejected (nothing "
			       "was sent): %s; the text is in aws-cmek.json.rejected",
			       tcfs_node_id(n), msg);
		return refused(&dir, text, len, r);
	}
	tc_error_clear(&err);
	r = tcfs_fetch_object(org, &dir, &proj, &err);
	if (r != 0) {
		json_decref(body);
		return refused(&dir, text, len,
			       tcfs_error_api(&dir, "reading the project", &err, 0));
	}
	if (!json_is_true(json_object_get(proj, "aws_cmek_enabled"))) {
		tcfs_error_set(&dir, "aws-cmek.json of project %s rejected (nothing "
			       "was sent): the project was not created with "
			       "aws_cmek_enabled, so CMEK cannot be configured",
			       tcfs_node_id(n));
		json_decref(proj);
		json_decref(body);
		return refused(&dir, text, len, -EINVAL);
	}
	json_decref(proj);
	/* the configuration as it is (cached, else one GET): unchanged text
	 * (vim :wq without an edit) sends nothing */
	if (tcfs_fetch_call(org, n, &get_call, &cur, &err) == 0 &&
	    json_equal(json_object_get(cur, "items"),
		       json_object_get(body, "specs"))) {
		json_decref(cur);
		json_decref(body);
		tcfs_error_clear(&dir);
		return 0;
	}
	json_decref(cur);
	tc_error_clear(&err);
	r = tcfs_call_one(org, &post_call, n, NULL, body, &out, &err);
	json_decref(out);
	if (r != 0) {
		json_decref(body);
		return refused(&dir, text, len, tcfs_error_api(&dir,
			       "configuring AWS CMEK (POST aws-cmek)", &err, 0));
	}
	/* read-your-writes: the GET's cached answer is the new specs */
	tcfs_call_key(&get_call, n, NULL, key, sizeof(key));
	if (key[0]) {
		json_t *items = json_pack("{s:O}", "items",
					  json_object_get(body, "specs"));

		if (items)
			tcfs_cache_put(org->cache, key, items);
		json_decref(items);
	}
	tcfs_error_clear(&dir);
	json_decref(body);
	return 0;
}
