/*
 * path.c — the ONE place where a path becomes a node. Walks the resource
 * table: at each directory a component is a fixed file, a fixed
 * subdirectory, a child resource (collections, via the resolver), or else
 * a leaf name (a scratch file, or a name to create).
 */
#include "tcfs.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int tcfs_path_parse(const char *path, const struct tcfs_resolver *r,
		    struct tcfs_node *out)
{
	const char *p = path;
	char comp[TCFS_NAME_MAX + 1];

	memset(out, 0, sizeof(*out));
	out->org = -1;
	out->kind = TCFS_K_ROOT;
	out->what = TCFS_W_DIR;
	if (!path || path[0] != '/')
		return -ENOENT;
	for (;;) {
		const char *end;
		size_t len;
		int last, sub;
		const struct tcfs_kind_desc *k;

		while (*p == '/')
			p++;
		if (!*p)
			return 0;
		if (out->what != TCFS_W_DIR)
			return out->what == TCFS_W_FILE ? -ENOTDIR : -ENOENT;
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (len > TCFS_NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(comp, p, len);
		comp[len] = '\0';
		p += len;
		{
			const char *q = p;

			while (*q == '/')
				q++;
			last = *q == '\0';
		}
		if (strcmp(comp, ".") == 0 || strcmp(comp, "..") == 0)
			return -ENOENT;

		if (out->kind == TCFS_K_ROOT) {
			int idx = r->org ? r->org(r->arg, comp) : -1;

			if (idx < 0) {
				if (!last)
					return -ENOENT;
				out->what = TCFS_W_LEAF;
				snprintf(out->leaf, sizeof(out->leaf), "%s", comp);
				continue;
			}
			out->org = idx;
			out->kind = TCFS_K_ORG;
			continue;
		}
		k = tcfs_kind(out->kind);
		out->file = tcfs_kind_file(out->kind, comp);
		if (out->file) {
			out->what = TCFS_W_FILE;
			continue;
		}
		sub = tcfs_kind_subdir(out->kind, comp);
		if (sub >= 0) {
			out->kind = (enum tcfs_kind)sub;
			continue;
		}
		if (k->cls == TCFS_C_COLLECTION && r->child) {
			enum tcfs_kind ck;
			char id[TCFS_ID_MAX];
			time_t mt = 0;
			int rc = r->child(r->arg, out, comp, &ck, id, sizeof(id), &mt);

			if (rc == 0) {
				if (out->nids >= TCFS_MAX_IDS)
					return -ENOENT;
				out->kinds[out->nids] = ck;
				snprintf(out->ids[out->nids++], TCFS_ID_MAX, "%s", id);
				out->kind = ck;
				out->mtime = mt;
				if (tcfs_kind(ck)->as_file) {
					out->what = TCFS_W_FILE;
					out->file = tcfs_kind(ck)->as_file;
				}
				continue;
			}
			if (rc != -ENOENT)
				return rc;
		}
		if (!last)
			return -ENOENT;
		out->what = TCFS_W_LEAF;
		snprintf(out->leaf, sizeof(out->leaf), "%s", comp);
	}
}

const char *tcfs_node_id(const struct tcfs_node *n)
{
	return n->nids > 0 ? n->ids[n->nids - 1] : NULL;
}

void tcfs_node_dirkey(const struct tcfs_node *n, char *buf, size_t size)
{
	int off = snprintf(buf, size, "%d|%d", n->org, (int)n->kind);

	for (int i = 0; i < n->nids && off > 0 && (size_t)off < size; i++)
		off += snprintf(buf + off, size - (size_t)off, "|%s", n->ids[i]);
}

void tcfs_node_dir(const struct tcfs_node *n, struct tcfs_node *dir)
{
	*dir = *n;
	dir->what = TCFS_W_DIR;
	dir->file = NULL;
	dir->leaf[0] = '\0';
}

enum tcfs_kind tcfs_node_owner(const struct tcfs_node *n)
{
	return n->nids > 0 ? n->kinds[n->nids - 1] : TCFS_K_ROOT;
}

void tcfs_node_parent_coll(const struct tcfs_node *res, struct tcfs_node *coll)
{
	tcfs_node_dir(res, coll);
	coll->kind = tcfs_kind(res->kind)->parents[0];
	if (coll->nids > 0)
		coll->nids--;
	coll->mtime = 0;
}

int tcfs_node_ancestor(const struct tcfs_node *n, enum tcfs_kind kind,
		       struct tcfs_node *coll)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);

	if (k->cls != TCFS_C_COLLECTION)
		return -ENOENT;
	/* the deepest level whose resource kind holds the collection (or
	 * none, for a collection under a fixed directory: projects/) */
	for (int l = n->nids; l >= 0; l--) {
		enum tcfs_kind owner = l > 0 ? n->kinds[l - 1] : TCFS_K_ROOT;

		for (size_t i = 0; i < k->nparents; i++) {
			enum tcfs_kind p = k->parents[i];

			if ((l > 0 && p == owner) ||
			    (l == 0 && tcfs_kind(p)->cls == TCFS_C_STATIC)) {
				tcfs_node_dir(n, coll);
				coll->kind = kind;
				coll->nids = l;
				coll->mtime = 0;
				return 0;
			}
		}
	}
	return -ENOENT;
}
