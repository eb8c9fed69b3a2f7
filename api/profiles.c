/*
 * profiles.c — credentials from the official CLI's ~/.ticloud/config.toml.
 * The file is refused, as ssh refuses a private key, when group or others
 * may read or write it; the TOML itself is parsed by profiles_toml.cc.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "profiles_toml.h"
#include "tc_internal.h"

#define MAX_CONFIG_BYTES (1 << 20)

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void tc_profiles_release(struct tc_profile_list *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++) {
		free(list->items[i].name);
		free(list->items[i].public_key);
		wipe_free(list->items[i].private_key);
		free(list->items[i].serverless_endpoint);
		free(list->items[i].iam_endpoint);
	}
	free(list->items);
	free(list->current);
	memset(list, 0, sizeof(*list));
}

#define config_error(err, ...) (tc_error_set((err), TC_E_CONFIG, __VA_ARGS__), -1)

int tc_profiles_load(const char *path, struct tc_profile_list *out,
		     struct tc_error *err)
{
	char defpath[4096], errbuf[256] = "";
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int fd, rc;

	tc_error_clear(err);
	if (!out)
		return config_error(err, "no output list");
	memset(out, 0, sizeof(*out));
	if (!path) {
		const char *home = getenv("HOME");
		if (!home || !*home) {
			struct passwd *pw = getpwuid(getuid());
			home = pw ? pw->pw_dir : NULL;
		}
		if (!home)
			return config_error(err, "cannot find the home "
					    "directory for ~/.ticloud/config.toml");
		snprintf(defpath, sizeof(defpath), "%s/.ticloud/config.toml", home);
		path = defpath;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return config_error(err, "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return config_error(err, "'%s' is not a regular file", path);
	}
	if (st.st_mode & 077) {
		char mode[8];
		close(fd);
		snprintf(mode, sizeof(mode), "%04o", (unsigned)(st.st_mode & 07777));
		tc_error_set(err, TC_E_CONFIG, "permissions %s for '%s' are too "
			     "open: the file holds private keys and must not be "
			     "accessible by others; run chmod 600 '%s'",
			     mode, path, path);
		return -1;
	}
	if (st.st_uid != getuid() && st.st_uid != 0) {
		close(fd);
		return config_error(err, "'%s' is owned by another user", path);
	}
	if (st.st_size > MAX_CONFIG_BYTES) {
		close(fd);
		return config_error(err, "'%s' is too large", path);
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text) {
		close(fd);
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		return -1;
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, text + len, (size_t)st.st_size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	text[len] = '\0';
	rc = tc_profiles_parse_toml(text, len, out, errbuf, sizeof(errbuf));
	explicit_bzero(text, len);
	free(text);
	if (rc != 0)
		return config_error(err, "%s: %s", path, errbuf);
	return 0;
}
