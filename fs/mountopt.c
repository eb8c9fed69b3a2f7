/* mountopt.c — drop the mount(8)/fstab-only options; see mountopt.h. */
#include "mountopt.h"

#include <stdlib.h>
#include <string.h>

int tcfs_mountopt_ignored(const char *opt)
{
	/* Options of mount(8), fstab and systemd that mean nothing to a FUSE
	 * daemon. rw, dev/nodev, suid/nosuid, exec/noexec, atime/noatime,
	 * sync/async are mount flags libfuse handles itself. */
	static const char *const exact[] = {
		"_netdev", "noauto", "auto", "nofail", "user", "users",
		"nouser", "owner", "group", "defaults", NULL
	};
	static const char *const prefixes[] = {
		"x-", "comment=", "user=", NULL
	};

	for (size_t i = 0; exact[i]; i++)
		if (strcmp(opt, exact[i]) == 0)
			return 1;
	for (size_t i = 0; prefixes[i]; i++)
		if (strncmp(opt, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

/* The list with the ignored options removed (malloc'd; may be ""). */
static char *filter_list(const char *list)
{
	size_t n = strlen(list);
	char *out = malloc(n + 1), *copy = strdup(list), *save = NULL, *tok;
	size_t o = 0;

	if (!out || !copy) {
		free(out);
		free(copy);
		return NULL;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (tcfs_mountopt_ignored(tok))
			continue;
		if (o)
			out[o++] = ',';
		memcpy(out + o, tok, strlen(tok));
		o += strlen(tok);
	}
	out[o] = '\0';
	free(copy);
	return out;
}

int tcfs_mountopt_count(char **v)
{
	int n = 0;

	while (v && v[n])
		n++;
	return n;
}

void tcfs_mountopt_free(char **v)
{
	for (int i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static int push(char **v, int *n, const char *s)
{
	if (!(v[*n] = strdup(s)))
		return -1;
	(*n)++;
	return 0;
}

char **tcfs_mountopt_filter(int argc, char *argv[])
{
	char **v = calloc((size_t)argc + 1, sizeof(*v));
	int n = 0;

	if (!v)
		return NULL;
	for (int i = 0; i < argc; i++) {
		const char *list = NULL;
		char *f;
		int r;

		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			list = argv[++i];
		else if (strncmp(argv[i], "-o", 2) == 0 && argv[i][2])
			list = argv[i] + 2;
		if (!list) {
			if (push(v, &n, argv[i]) != 0)
				goto fail;
			continue;
		}
		if (!(f = filter_list(list)))
			goto fail;
		r = 0;
		if (*f)
			r = push(v, &n, "-o") || push(v, &n, f);
		free(f);
		if (r)
			goto fail;
	}
	v[n] = NULL;
	return v;
fail:
	tcfs_mountopt_free(v);
	return NULL;
}
