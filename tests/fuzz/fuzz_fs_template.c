/* fuzz_fs_template — a collection's mkdir as its family builds it, for
 * every collection kind with a mkdir (fs/family_*.c, fs/template.c,
 * fs/validate.c): the name rules, the default .template.json (must be a
 * JSON object), the stored template's check, and the create body from the
 * template text and the name. Input: kind byte (index among the
 * collections with a mkdir, modulo) + template text [+ "\n@@\n" + name
 * [+ "\n@@\n" + API answers, for hooks that ask]]. */
#include <errno.h>
#include <jansson.h>
#include "fuzz_fs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum tcfs_kind kinds[TCFS_K_COUNT];
	struct fuzz_part parts[FUZZ_MAX_PARTS];
	struct fuzz_tp tp = { 0 };
	const struct tcfs_create *mk;
	struct tcfs_node coll;
	enum tcfs_kind made;
	json_t *tpl, *body;
	uint64_t now = 1000;
	char msg[512], *name, *text;
	size_t n, nk = 0, len;
	int r, named;

	if (size < 1)
		return 0;
	for (int k = 0; k < TCFS_K_COUNT; k++)
		if (tcfs_kind((enum tcfs_kind)k)->mkdir)
			kinds[nk++] = (enum tcfs_kind)k;
	fuzz_node(&coll, kinds[data[0] % nk], NULL);
	mk = tcfs_kind(coll.kind)->mkdir;
	n = fuzz_split(data + 1, size - 1, parts, FUZZ_MAX_PARTS);
	name = n > 1 ? fuzz_strndup(parts[1].p, parts[1].n) : strdup("newdb");
	if (!name)
		return 0;
	tp.replies = parts + 2;
	tp.n = n > 2 ? n - 2 : 0;
	fuzz_mount_begin(&tp, &now, 0);

	msg[0] = '\0';
	named = !mk->check_name || mk->check_name(name, msg, sizeof(msg)) == 0;
	if (!named && !msg[0])
		abort();
	if (mk->template_default && (text = mk->template_default(&coll))) {
		json_t *d = json_loadb(text, strlen(text), JSON_REJECT_DUPLICATES,
				       NULL);
		if (!json_is_object(d))
			abort();
		json_decref(d);
		free(text);
	}
	(void)tcfs_commit_template(&coll, parts[0].p, parts[0].n);
	/* As tcfs_do_mkdir: the body only for a name the rules accept. */
	if (!named)
		goto out;
	if (mk->template_default) {
		tpl = json_loadb(parts[0].p, parts[0].n, 0, NULL);
		if (!tpl)
			goto out;
	} else {
		tpl = NULL;
	}
	body = NULL;
	made = TCFS_K_ROOT;
	msg[0] = '\0';
	r = mk->body(tpl, name, &coll, &body, &made, msg, sizeof(msg));
	if (r == 0) {
		if (body && !json_is_object(body))
			abort();
		if (!tcfs_kind(made)->create.desc)
			abort();
		if (body) {
			free(tcfs_render_json(body, &len));
			json_decref(body);
		}
	} else if (body || !msg[0]) {
		abort();
	}
	if (mk->done)
		mk->done(&coll, name, -EIO);
	json_decref(tpl);
out:
	fuzz_mount_end();
	free(name);
	return 0;
}
