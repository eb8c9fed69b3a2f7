/* fuzz_fs_template — a cluster template (fs/template.c): the create body
 * built from the template text and a mkdir name. Input: template text
 * [+ "\n@@\n" + name]. */
#include <jansson.h>
#include "fuzz_util.h"
#include "tcfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[2];
	enum tc_family fam = TC_FAMILY_COUNT;
	json_t *tpl, *body = NULL;
	char msg[512], *name;
	size_t n = fuzz_split(data, size, parts, 2);
	int r;

	tpl = json_loadb(parts[0].p, parts[0].n, JSON_REJECT_DUPLICATES, NULL);
	name = n > 1 ? fuzz_strndup(parts[1].p, parts[1].n) : strdup("newdb");
	if (!name) {
		json_decref(tpl);
		return 0;
	}
	msg[0] = '\0';
	r = tcfs_template_body(tpl, name, "1372813089189561287", &body, &fam,
			       msg, sizeof(msg));
	if (r == 0) {
		if (!json_is_object(body) || (fam != TC_FAMILY_SERVERLESS &&
					      fam != TC_FAMILY_DEDICATED))
			abort();
		json_decref(body);
	} else if (body || !msg[0]) {
		abort();
	}
	json_decref(tpl);
	free(name);
	return 0;
}
