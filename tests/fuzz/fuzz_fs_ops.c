/* fuzz_fs_ops — the filesystem's operations on API answers from the input
 * (fs/fetch.c, fs/render.c, fs/content.c, fs/actions.c, fs/handles.c,
 * fs/update.c and the families' hooks): a mount context with one
 * organization whose client answers every request from the input's parts,
 * in order (at most 64 exchanges, then every call fails).
 * Input: part 0 = the text written: ctl lines (of every kind with verbs,
 * each line checked as ops_write.c does), the same bytes as every
 * writable hook file (CMEK, a Data App endpoint's query.sql and test),
 * spec.json of every kind with one and .template.json, and the last line as
 * a mkdir name; parts 1.. = API answers ("!NNN\n" sets the status). */
#include <jansson.h>
#include "fuzz_fs.h"
#include "handles.h"
#include "validate.h"

static void content(enum tcfs_kind kind, const char *file)
{
	const struct tcfs_file_desc *f = tcfs_kind_file(kind, file);
	struct tcfs_node n;
	char *text = NULL;
	size_t len = 0;
	time_t mtime;

	if (!f)
		abort();
	fuzz_node(&n, kind, f);
	/* Rendered files are text; only *.rejected keeps the user's bytes. */
	if (tcfs_content(&n, &text, &len, &mtime) == 0 && text &&
	    n.file->type != TCFS_F_REJECTED && strlen(text) != len)
		abort();
	free(text);
}

/* The lines of text as ctl of a resource of `kind`: each one that is
 * exactly a use of a verb (tcfs_ctl_text_valid) runs. */
static void ctl(enum tcfs_kind kind, const char *text, size_t len)
{
	const char *usages[TCFS_MAX_VERBS + 1];
	struct tcfs_node res;
	struct tcfs_handle *h;
	char line[256], msg[300];

	fuzz_node(&res, kind, tcfs_kind_file(kind, "ctl"));
	if (!res.file)
		return;
	h = tcfs_handle_new(TCFS_H_CTL, &res, NULL, 0, 0);
	if (!h)
		return;
	fuzz_node(&res, kind, NULL);
	tcfs_kind_verb_usages(kind, usages);
	if (tcfs_handle_append(h, text, len, 4096) >= 0)
		while (tcfs_handle_take_line(h, line, sizeof(line), 1))
			if (line[0] && tcfs_ctl_text_valid(line, strlen(line),
					usages, 1, msg, sizeof(msg)) == 0 &&
			    tcfs_do_ctl(&res, line) != 0)
				break;
	tcfs_handle_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[FUZZ_MAX_PARTS];
	struct fuzz_tp tp = { 0 };
	struct tcfs_node res, coll;
	struct tcfs_children ch;
	struct tc_error err;
	uint64_t now = 1000;
	size_t n = fuzz_split(data, size, parts, FUZZ_MAX_PARTS);
	const char *text = parts[0].p;
	size_t len = parts[0].n;

	tp.replies = parts + 1;
	tp.n = n - 1;
	fuzz_mount_begin(&tp, &now, 0);

	/* Listings and objects. */
	fuzz_node(&coll, TCFS_K_CLUSTERS, NULL);
	if (tcfs_fetch_children(&fuzz_org, &coll, &ch, &err) == 0)
		tcfs_children_release(&ch);
	content(TCFS_K_PROJECT, "project.json");
	content(TCFS_K_SLS_CLUSTER, "cluster.json");
	content(TCFS_K_SLS_CLUSTER, "spec.json");
	content(TCFS_K_DED_CLUSTER, "state");
	content(TCFS_K_DED_CLUSTER, "spec.json");
	content(TCFS_K_REGIONS, "serverless.json");
	content(TCFS_K_ORG, "organization.json");

	/* ctl of every kind with verbs, as ops_write.c runs them. */
	for (int k = 0; k < TCFS_K_COUNT; k++)
		if (tcfs_kind((enum tcfs_kind)k)->nverbs)
			ctl((enum tcfs_kind)k, text, len);
	/* Every writable hook file, and spec.json of every kind. */
	for (int k = 0; k < TCFS_K_COUNT; k++) {
		const struct tcfs_kind_desc *d = tcfs_kind((enum tcfs_kind)k);
		fuzz_node(&res, (enum tcfs_kind)k, NULL);
		for (size_t i = 0; i < d->nfiles; i++)
			if (d->files[i].type == TCFS_F_HOOK &&
			    d->files[i].commit)
				(void)tcfs_commit_file(&res, &d->files[i],
						       text, len);
		if (d->spec_from && d->update)
			(void)tcfs_commit_spec(&res, text, len);
	}
	content(TCFS_K_SLS_CLUSTER, ".error");
	content(TCFS_K_SLS_CLUSTER, "spec.json.rejected");
	/* The text as the template, its last line as a new cluster's name. */
	if (tcfs_commit_template(&coll, text, len) == 0) {
		const char *nl = memrchr(text, '\n', len);
		size_t off = nl ? (size_t)(nl + 1 - text) : 0;
		char *name = fuzz_strndup(text + off, len - off);
		if (name && !memchr(text + off, '\0', len - off))
			(void)tcfs_do_mkdir(&coll, name);
		free(name);
	}
	fuzz_node(&res, TCFS_K_SLS_CLUSTER, NULL);
	(void)tcfs_do_rmdir(&res);

	fuzz_mount_end();
	return 0;
}
