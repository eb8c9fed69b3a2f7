/* fuzz_fs_ops — the filesystem's operations on API answers from the input
 * (fs/fetch.c, fs/render.c, fs/content.c, fs/actions.c, fs/handles.c): a
 * mount context with one organization whose client answers every request
 * from the input's parts, in order.
 * Input: part 0 = the text written (ctl lines, then the same bytes as
 * spec.json and .template.json, and the last line as a mkdir name); parts
 * 1.. = API answers ("!NNN\n" sets the status). */
#include <jansson.h>
#include "fuzz_util.h"
#include "tcfs.h"
#include "cache.h"
#include "handles.h"
#include "overlay.h"
#include "store.h"
#include "log.h"

static struct tcfs_ctx ctx;
static struct tcfs_org org;

static void node_set(struct tcfs_node *n, enum tcfs_kind kind, int nids,
		     const char *file)
{
	static const char *const ids[] = { "1372813089189561287",
					   "10058425682284910921" };

	memset(n, 0, sizeof(*n));
	n->org = 0;
	n->kind = kind;
	n->nids = nids;
	for (int i = 0; i < nids; i++)
		snprintf(n->ids[i], sizeof(n->ids[i]), "%s", ids[i]);
	n->what = file ? TCFS_W_FILE : TCFS_W_DIR;
	n->file = file ? tcfs_kind_file(kind, file) : NULL;
	if (file && !n->file)
		abort();
}

static void content(enum tcfs_kind kind, int nids, const char *file)
{
	struct tcfs_node n;
	char *text = NULL;
	size_t len = 0;
	time_t mtime;

	node_set(&n, kind, nids, file);
	/* Rendered files are text; only *.rejected keeps the user's bytes. */
	if (tcfs_content(&n, &text, &len, &mtime) == 0 && text &&
	    n.file->type != TCFS_F_REJECTED && strlen(text) != len)
		abort();
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[FUZZ_MAX_PARTS];
	struct fuzz_tp tp = { 0 };
	struct tcfs_node res, coll;
	struct tcfs_children ch;
	struct tcfs_handle *h;
	struct tc_error err;
	uint64_t now = 1000;
	char line[128];
	size_t n = fuzz_split(data, size, parts, FUZZ_MAX_PARTS);

	if (!ctx.orgs) {
		tcfs_log_init(0);
		ctx.opts.default_region = (char *)"aws-us-east-1";
		ctx.orgs = &org;
		ctx.norgs = 1;
		tcfs_g = &ctx;
	}
	memset(&org, 0, sizeof(org));
	snprintf(org.name, sizeof(org.name), "default");
	pthread_mutex_init(&org.lock, NULL);
	tp.replies = parts + 1;
	tp.n = n - 1;
	org.client = fuzz_client(&tp, &now);
	org.cache = tcfs_cache_new(0, 0, NULL);
	org.overlay = tcfs_overlay_new();
	if (!org.client || !org.cache || !org.overlay)
		abort();

	/* Listings and objects. */
	node_set(&coll, TCFS_K_CLUSTERS, 1, NULL);
	if (tcfs_fetch_children(&org, &coll, &ch, &err) == 0)
		tcfs_children_release(&ch);
	content(TCFS_K_PROJECT, 1, "project.json");
	content(TCFS_K_SLS_CLUSTER, 2, "cluster.json");
	content(TCFS_K_SLS_CLUSTER, 2, "spec.json");
	content(TCFS_K_DED_CLUSTER, 2, "state");
	content(TCFS_K_DED_CLUSTER, 2, "spec.json");
	content(TCFS_K_REGIONS, 0, "serverless.json");
	content(TCFS_K_ORG, 0, "organization.json");

	/* ctl lines, as ops_write.c runs them. */
	node_set(&res, TCFS_K_DED_CLUSTER, 2, "ctl");
	h = tcfs_handle_new(TCFS_H_CTL, &res, NULL, 0, 0);
	if (h) {
		node_set(&res, TCFS_K_DED_CLUSTER, 2, NULL);
		if (tcfs_handle_append(h, parts[0].p, parts[0].n, 4096) >= 0)
			while (tcfs_handle_take_line(h, line, sizeof(line), 1))
				if (line[0] && tcfs_do_ctl(&res, line) != 0)
					break;
		tcfs_handle_free(h);
	}
	/* The same text as a spec and a template, and its last line as a
	 * new cluster's name. */
	node_set(&res, TCFS_K_SLS_CLUSTER, 2, NULL);
	(void)tcfs_commit_spec(&res, parts[0].p, parts[0].n);
	node_set(&res, TCFS_K_DED_CLUSTER, 2, NULL);
	(void)tcfs_commit_spec(&res, parts[0].p, parts[0].n);
	content(TCFS_K_SLS_CLUSTER, 2, ".error");
	content(TCFS_K_SLS_CLUSTER, 2, "spec.json.rejected");
	if (tcfs_commit_template(&coll, parts[0].p, parts[0].n) == 0) {
		const char *nl = memrchr(parts[0].p, '\n', parts[0].n);
		size_t off = nl ? (size_t)(nl + 1 - parts[0].p) : 0;
		char *name = fuzz_strndup(parts[0].p + off, parts[0].n - off);
		if (name && !memchr(parts[0].p + off, '\0', parts[0].n - off))
			(void)tcfs_do_mkdir(&coll, name);
		free(name);
	}
	node_set(&res, TCFS_K_SLS_CLUSTER, 2, NULL);
	(void)tcfs_do_rmdir(&res);

	tc_client_free(org.client);
	tcfs_cache_free(org.cache);
	tcfs_overlay_free(org.overlay);
	pthread_mutex_destroy(&org.lock);
	tcfs_store_free_all();
	return 0;
}
