/* fuzz_fs_path — path routing and name decoding (fs/path.c, fs/naming.c):
 * an absolute path parsed against a tree whose children come from the
 * input; every family's directories (a child is offered to a collection
 * whose sources, where it sits, include its kind). Input: path + "\n@@\n"
 * + one child per line, "KIND<TAB>id<TAB>display name", KIND a row name of
 * families.h (sls_cluster, backup, da_endpoint...) or P (project), S
 * (serverless), D (dedicated cluster). */
#include <errno.h>
#include <stdio.h>
#include "fuzz_util.h"
#include "tcfs.h"
#include "naming.h"

#define MAX_CHILDREN 64

struct tree {
	size_t n;
	enum tcfs_kind kind[MAX_CHILDREN];
	char *id[MAX_CHILDREN];
	char *display[MAX_CHILDREN];
};

static int t_org(void *arg, const char *name)
{
	(void)arg;
	return strcmp(name, "default") == 0 ? 0 : -1;
}

static int t_child(void *arg, const struct tcfs_node *coll, const char *name,
		   enum tcfs_kind *kind, char *id, size_t idsz, time_t *mtime)
{
	static const char *const reserved[] = { ".error", ".template.json", NULL };
	struct tree *t = arg;
	struct tcfs_named v[MAX_CHILDREN];
	size_t idx[MAX_CHILDREN], n = 0;
	enum tcfs_kind src[TCFS_MAX_SOURCES];
	size_t nsrc = tcfs_coll_sources(coll, src);
	long i;

	if (nsrc > TCFS_MAX_SOURCES)
		abort();
	for (size_t k = 0; k < t->n; k++) {
		size_t s = 0;
		while (s < nsrc && src[s] != t->kind[k])
			s++;
		if (s == nsrc)
			continue;
		v[n].id = t->id[k];
		v[n].display = t->display[k];
		idx[n++] = k;
	}
	tcfs_naming_assign(v, n, reserved);
	for (size_t k = 0; k < n; k++)
		if (!v[k].name || (v[k].name != v[k].id &&
				   !tcfs_name_valid(v[k].name)))
			abort();
	i = tcfs_naming_find(v, n, name);
	if (i < 0)
		return -ENOENT;
	*kind = t->kind[idx[i]];
	snprintf(id, idsz, "%s", t->id[idx[i]]);
	*mtime = 1;
	return 0;
}

#define ROW_NAME(K, row) #row,
static const char *const row_names[] = { TCFS_KINDS(ROW_NAME) };

static enum tcfs_kind kind_of(const char *s)
{
	if (!strcmp(s, "P"))
		return TCFS_K_PROJECT;
	if (!strcmp(s, "D"))
		return TCFS_K_DED_CLUSTER;
	for (int k = 0; k < TCFS_K_COUNT; k++)
		if (!strcmp(s, row_names[k]))
			return (enum tcfs_kind)k;
	return TCFS_K_SLS_CLUSTER;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[2];
	struct tree t = { 0 };
	struct tcfs_resolver r = { &t, t_org, t_child };
	struct tcfs_node node, dir;
	char key[TCFS_KEY_MAX];
	char *path, *list = NULL, *line, *save = NULL;
	size_t n = fuzz_split(data, size, parts, 2);

	path = fuzz_strndup(parts[0].p, parts[0].n);
	if (!path)
		return 0;
	if (n > 1 && (list = fuzz_strndup(parts[1].p, parts[1].n))) {
		for (line = strtok_r(list, "\n", &save); line && t.n < MAX_CHILDREN;
		     line = strtok_r(NULL, "\n", &save)) {
			char *id = strchr(line, '\t'), *disp;
			if (!id)
				continue;
			*id++ = '\0';
			disp = strchr(id, '\t');
			if (disp)
				*disp++ = '\0';
			t.kind[t.n] = kind_of(line);
			t.id[t.n] = id;
			t.display[t.n] = disp;
			(void)tcfs_name_valid(id);
			t.n++;
		}
	}
	memset(&node, 0, sizeof(node));
	if (tcfs_path_parse(path, &r, &node) == 0) {
		if (node.nids < 0 || node.nids > TCFS_MAX_IDS)
			abort();
		tcfs_node_dirkey(&node, key, sizeof(key));
		tcfs_node_dir(&node, &dir);
		(void)tcfs_node_id(&node);
		(void)tcfs_node_owner(&node);
		if (tcfs_kind(node.kind)->cls == TCFS_C_RESOURCE &&
		    node.what == TCFS_W_DIR) {
			tcfs_node_parent_coll(&node, &dir);
			for (int k = 0; k < TCFS_K_COUNT; k++)
				if (tcfs_kind((enum tcfs_kind)k)->cls ==
				    TCFS_C_COLLECTION)
					(void)tcfs_node_ancestor(&node,
						(enum tcfs_kind)k, &dir);
		}
		if (node.what == TCFS_W_LEAF) {
			const struct tcfs_create *mk =
				tcfs_kind(node.kind)->mkdir;
			char msg[256];
			if (mk && mk->check_name)
				(void)mk->check_name(node.leaf, msg, sizeof(msg));
		}
	}
	free(list);
	free(path);
	return 0;
}
