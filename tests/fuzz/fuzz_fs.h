/*
 * fuzz_fs.h — what the fs harnesses share (header-only): a mount context
 * without FUSE (one organization "default" whose client is the scripted
 * transport of fuzz_util.h) and a node of any kind of the resource table
 * with made-up ids for each level (its resource ancestors by parents[0]).
 */
#ifndef FUZZ_FS_H
#define FUZZ_FS_H

#include <stdio.h>
#include "fuzz_util.h"
#include "tcfs.h"
#include "cache.h"
#include "overlay.h"
#include "store.h"
#include "log.h"

static struct tcfs_ctx fuzz_ctx;
static struct tcfs_org fuzz_org;

/* Start: the org's client answers from tp (set up by the caller); what
 * was fetched is kept for ttl seconds (0: every read asks the API). */
static inline void fuzz_mount_begin(struct fuzz_tp *tp, uint64_t *now,
				    double ttl)
{
	if (!fuzz_ctx.orgs) {
		tcfs_log_init(0);
		fuzz_ctx.opts.default_region = (char *)"aws-us-east-1";
		fuzz_ctx.orgs = &fuzz_org;
		fuzz_ctx.norgs = 1;
		tcfs_g = &fuzz_ctx;
	}
	memset(&fuzz_org, 0, sizeof(fuzz_org));
	snprintf(fuzz_org.name, sizeof(fuzz_org.name), "default");
	pthread_mutex_init(&fuzz_org.lock, NULL);
	fuzz_org.client = fuzz_client(tp, now);
	fuzz_ctx.opts.cache_timeout = ttl;
	fuzz_org.cache = tcfs_cache_new(ttl, ttl, NULL);
	fuzz_org.overlay = tcfs_overlay_new();
	if (!fuzz_org.client || !fuzz_org.cache || !fuzz_org.overlay)
		abort();
}

static inline void fuzz_mount_end(void)
{
	tc_client_free(fuzz_org.client);
	tcfs_cache_free(fuzz_org.cache);
	tcfs_overlay_free(fuzz_org.overlay);
	pthread_mutex_destroy(&fuzz_org.lock);
	tcfs_store_free_all();
	memset(&fuzz_org, 0, sizeof(fuzz_org));
}

/* The node of directory `kind` (file: one of its fixed files, or NULL),
 * with an id for each resource level above and at it. */
static inline void fuzz_node(struct tcfs_node *n, enum tcfs_kind kind,
			     const struct tcfs_file_desc *file)
{
	static const char *const ids[TCFS_MAX_IDS] = { "1372813089189561287",
		"10058425682284910921", "1700000000001", "1700000000002" };
	enum tcfs_kind chain[16];
	size_t depth = 0;
	enum tcfs_kind k = kind;

	memset(n, 0, sizeof(*n));
	for (int guard = 0; guard < 16 && k != TCFS_K_ROOT; guard++) {
		const struct tcfs_kind_desc *d = tcfs_kind(k);
		if (d->cls == TCFS_C_RESOURCE && depth < TCFS_MAX_IDS)
			chain[depth++] = k;
		if (!d->nparents)
			break;
		k = d->parents[0];
	}
	n->org = 0;
	n->kind = kind;
	n->nids = (int)depth;
	for (size_t i = 0; i < depth; i++) {
		n->kinds[i] = chain[depth - 1 - i];
		snprintf(n->ids[i], sizeof(n->ids[i]), "%s", ids[i]);
	}
	n->what = file ? TCFS_W_FILE : TCFS_W_DIR;
	n->file = file;
}

#endif
