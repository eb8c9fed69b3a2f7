/* fuzz_fs_spec — spec.json text against the schema of every kind that has
 * one (fs/spec.c, fs/validate.c, each family's check): the precheck and the
 * parse against the current object, the family's published constraints,
 * then the differ of the row's update style (updateMask or flat) against
 * the current spec. Input: kind byte (index among the kinds with a
 * spec.json, modulo; 0 and 1 are the two cluster kinds) + spec text
 * [+ "\n@@\n" + current object]. */
#include <errno.h>
#include <jansson.h>
#include "fuzz_fs.h"
#include "spec.h"

static int spec_kinds(enum tcfs_kind *out)
{
	int n = 0;

	out[n++] = TCFS_K_SLS_CLUSTER;
	out[n++] = TCFS_K_DED_CLUSTER;
	for (int k = 0; k < TCFS_K_COUNT; k++)
		if (k != TCFS_K_SLS_CLUSTER && k != TCFS_K_DED_CLUSTER &&
		    tcfs_kind((enum tcfs_kind)k)->spec_schema)
			out[n++] = (enum tcfs_kind)k;
	return n;
}

static void checked(int r, json_t *out, const char *msg, size_t msgsz)
{
	if (r != 0 && (out || !msg[0] || !memchr(msg, 0, msgsz)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum tcfs_kind kinds[TCFS_K_COUNT];
	struct fuzz_part parts[2];
	const struct tcfs_kind_desc *k;
	json_t *obj, *out = NULL, *cur, *body = NULL, *changes = NULL;
	char msg[512], mask[1024];
	size_t n;
	int r, nk;

	if (size < 1)
		return 0;
	nk = spec_kinds(kinds);
	k = tcfs_kind(kinds[data[0] % nk]);
	n = fuzz_split(data + 1, size - 1, parts, 2);
	obj = n > 1 ? json_loadb(parts[1].p, parts[1].n, 0, NULL) : NULL;
	if (!obj)
		obj = json_object();
	cur = k->spec_from ? k->spec_from(obj) : NULL;

	/* Before any request: against the last known object. */
	msg[0] = '\0';
	r = tcfs_spec_precheck(parts[0].p, parts[0].n, k->spec_schema, obj,
			       &out, msg, sizeof(msg));
	checked(r, out, msg, sizeof(msg));
	if (r == 0 && k->check) {
		msg[0] = '\0';
		if (k->check(out, cur, msg, sizeof(msg)) != 0 && !msg[0])
			abort();
	}
	json_decref(out);
	out = NULL;

	msg[0] = '\0';
	r = tcfs_spec_parse(parts[0].p, parts[0].n, k->spec_schema, obj, &out,
			    msg, sizeof(msg));
	checked(r, out, msg, sizeof(msg));
	if (r == 0) {
		json_t *c = cur ? json_incref(cur) : json_object();
		if (k->check) {
			msg[0] = '\0';
			if (k->check(out, cur, msg, sizeof(msg)) != 0 && !msg[0])
				abort();
		}
		if (k->update && k->update->style == TCFS_UPDATE_MASK) {
			if (tcfs_spec_diff_mask(c, out, k->update->mask_paths,
						&body, mask, sizeof(mask)) > 0)
				json_decref(body);
			if (tcfs_spec_diff_mask(c, out, k->update->mask_paths,
						&body, mask, 4) > 0)
				json_decref(body);
		}
		(void)tcfs_spec_diff_flat(c, out, &changes);
		json_decref(changes);
		json_decref(c);
		json_decref(out);
	}
	/* A dotted path from the text, too. */
	if (parts[0].n < 200) {
		char *path = fuzz_strndup(parts[0].p, parts[0].n);
		if (path) {
			(void)tcfs_json_path_borrow(obj, path);
			free(path);
		}
	}
	json_decref(cur);
	json_decref(obj);
	return 0;
}
