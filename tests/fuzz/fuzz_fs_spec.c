/* fuzz_fs_spec — spec.json text against each cluster kind's schema
 * (fs/spec.c): validation, then the differ (updateMask and flat) against
 * the current object. Input: spec text [+ "\n@@\n" + current object]. The
 * first byte picks the kind. */
#include <errno.h>
#include <jansson.h>
#include "fuzz_util.h"
#include "tcfs.h"
#include "spec.h"

static const char default_obj[] =
	"{\"clusterId\":\"9\",\"displayName\":\"web\",\"state\":\"ACTIVE\","
	"\"labels\":{\"tidb.cloud/project\":\"1\"},\"paused\":false,"
	"\"spendingLimit\":{\"monthly\":1000},"
	"\"endpoints\":{\"public\":{\"host\":\"h\",\"port\":4000,\"disabled\":false,"
	"\"authorizedNetworks\":[]}},\"tidbNodeSetting\":{\"nodeSpecKey\":\"2C4G\","
	"\"tidbNodeGroups\":[{\"tidbNodeGroupId\":\"g\",\"nodeCount\":1}]},"
	"\"createTime\":\"2024-01-15T10:00:00Z\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[2];
	const struct tcfs_kind_desc *k;
	json_t *obj, *out = NULL, *cur, *body = NULL, *changes = NULL;
	char msg[512], mask[1024];
	size_t n;
	int r;

	if (size < 1)
		return 0;
	k = tcfs_kind((data[0] & 1) ? TCFS_K_DED_CLUSTER : TCFS_K_SLS_CLUSTER);
	n = fuzz_split(data + 1, size - 1, parts, 2);
	obj = n > 1 ? json_loadb(parts[1].p, parts[1].n, 0, NULL) : NULL;
	if (!obj)
		obj = json_loads(default_obj, 0, NULL);
	msg[0] = '\0';
	r = tcfs_spec_parse(parts[0].p, parts[0].n, k->spec_schema, obj, &out,
			    msg, sizeof(msg));
	if (r != 0 && (out || !msg[0] || !memchr(msg, 0, sizeof(msg))))
		abort();
	if (r == 0) {
		cur = k->spec_from(obj);
		if (!cur)
			cur = json_object();
		if (tcfs_spec_diff_mask(cur, out, tcfs_sls_mask_paths, &body,
					mask, sizeof(mask)) > 0)
			json_decref(body);
		if (tcfs_spec_diff_mask(cur, out, tcfs_sls_mask_paths, &body,
					mask, 4) > 0)
			json_decref(body);
		(void)tcfs_spec_diff_flat(cur, out, &changes);
		json_decref(changes);
		json_decref(cur);
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
	json_decref(obj);
	return 0;
}
