/* naming.c — display name or id; see naming.h. */
#include "naming.h"
#include "validate.h"

#include <stdlib.h>
#include <string.h>

int tcfs_name_valid(const char *s)
{
	size_t n;

	if (!s || !*s)
		return 0;
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return 0;
	n = strlen(s);
	if (n > 255)
		return 0;
	/* a name with a control character (an escape sequence, a newline)
	 * is listed by its id: ls, find and scripts would print it raw */
	if (!tcfs_utf8_valid(s, n) || tcfs_has_control(s))
		return 0;
	return strchr(s, '/') == NULL;
}

static int cmp_str(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(*x, *y);
}

static int in_sorted(const char **v, size_t n, const char *s)
{
	return n && bsearch(&s, v, n, sizeof(*v), cmp_str) != NULL;
}

struct ref {
	const char *display;
	size_t idx;
};

static int cmp_ref(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	return strcmp(x->display, y->display);
}

void tcfs_naming_assign(struct tcfs_named *v, size_t n,
			const char *const *reserved)
{
	const char **ids = NULL;
	struct ref *refs = NULL;
	size_t nrefs = 0;

	for (size_t i = 0; i < n; i++)
		v[i].name = v[i].id;
	if (n == 0)
		return;
	ids = malloc(n * sizeof(*ids));
	refs = malloc(n * sizeof(*refs));
	if (!ids || !refs)
		goto out;   /* everything stays named by id */
	for (size_t i = 0; i < n; i++)
		ids[i] = v[i].id;
	qsort(ids, n, sizeof(*ids), cmp_str);
	for (size_t i = 0; i < n; i++) {
		const char *d = v[i].display;
		int bad = !tcfs_name_valid(d);

		for (const char *const *r = reserved; !bad && r && *r; r++)
			bad = strcmp(*r, d) == 0;
		/* a display name equal to some id (its own is harmless) */
		if (!bad && strcmp(d, v[i].id) != 0 && in_sorted(ids, n, d))
			bad = 1;
		if (!bad) {
			refs[nrefs].display = d;
			refs[nrefs].idx = i;
			nrefs++;
		}
	}
	qsort(refs, nrefs, sizeof(*refs), cmp_ref);
	for (size_t i = 0; i < nrefs;) {
		size_t j = i + 1;

		while (j < nrefs && strcmp(refs[j].display, refs[i].display) == 0)
			j++;
		if (j == i + 1)
			v[refs[i].idx].name = refs[i].display;
		i = j;
	}
out:
	free(ids);
	free(refs);
}

long tcfs_naming_find(const struct tcfs_named *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].name && strcmp(v[i].name, name) == 0)
			return (long)i;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].id, name) == 0)
			return (long)i;
	return -1;
}
