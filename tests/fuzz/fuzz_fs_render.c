/* fuzz_fs_render — an API object as the fs renders it (fs/render.c):
 * pretty JSON, the spec.json extraction of both cluster kinds, string
 * fields, times, mtimes. Input: one JSON body (a cluster or a project). */
#include <jansson.h>
#include "fuzz_util.h"
#include "tcfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum tcfs_kind kinds[] = { TCFS_K_PROJECT,
		TCFS_K_SLS_CLUSTER, TCFS_K_DED_CLUSTER };
	json_t *obj = json_loadb((const char *)data, size, 0, NULL);
	json_t *spec;
	size_t len;
	char *text, *s;

	/* The time parser on raw bytes, too. */
	s = fuzz_strndup((const char *)data, size < 64 ? size : 64);
	if (s) {
		(void)tcfs_parse_time(s);
		free(s);
	}
	if (!obj)
		return 0;
	text = tcfs_render_json(obj, &len);
	if (text && (len == 0 || text[len - 1] != '\n' || strlen(text) != len))
		abort();
	free(text);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct tcfs_kind_desc *k = tcfs_kind(kinds[i]);
		(void)tcfs_object_mtime(kinds[i], obj);
		(void)tcfs_json_str_borrow(obj, k->id_key);
		(void)tcfs_json_str_borrow(obj, k->name_key);
		if (k->state_key)
			(void)tcfs_json_str_borrow(obj, k->state_key);
	}
	spec = tcfs_spec_serverless(obj);
	if (spec) {
		free(tcfs_render_json(spec, &len));
		json_decref(spec);
	}
	spec = tcfs_spec_dedicated(obj);
	if (spec) {
		free(tcfs_render_json(spec, &len));
		json_decref(spec);
	}
	json_decref(obj);
	return 0;
}
