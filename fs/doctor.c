/*
 * doctor.c — the setup checklist of `tidbcloudfs --doctor` (doctor.h).
 *
 * Checks, in order: /dev/fuse, fusermount3, user_allow_other (only when
 * -o allow_other is asked for by a non-root user), the credentials source
 * and its file mode, then per organization and per API host the mount
 * uses (v1beta, serverless, dedicated): TLS trust, reaching the host and
 * authenticating; finally the clock skew from the Date header and the
 * rate-limit headroom from the X-Ratelimit-* headers.
 */
#include "doctor.h"
#include "tcfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SKEW_MAX_S      120      /* TLS and digest nonces tolerate less */
#define HEADROOM_MIN    5        /* requests left in the minute */

static int failures;

static void report(const char *tag, const char *what, const char *detail,
		   const char *fix)
{
	printf("[%s] %s%s%s\n", tag, what, detail && *detail ? ": " : "",
	       detail ? detail : "");
	if (fix && strcmp(tag, "FAIL") == 0)
		printf("       fix: %s\n", fix);
	if (strcmp(tag, "FAIL") == 0)
		failures++;
}

static void check_dev_fuse(void)
{
	struct stat st;
	int fd;

	if (stat("/dev/fuse", &st) != 0 || !S_ISCHR(st.st_mode)) {
		report("FAIL", "/dev/fuse", "absent", "load the module (modprobe "
		       "fuse); in a container pass --device /dev/fuse");
		return;
	}
	fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		report("FAIL", "/dev/fuse", strerror(errno), "allow this user "
		       "to open /dev/fuse (mode 0666 is the default)");
		return;
	}
	close(fd);
	report(" ok ", "/dev/fuse", "can be opened", NULL);
}

/* The path of `name` in $PATH (or the usual places) into buf; 0 / -1. */
static int which(const char *name, char *buf, size_t size)
{
	const char *path = getenv("PATH");
	char *copy = strdup(path && *path ? path : "/usr/bin:/bin");
	char *save = NULL, *dir;
	int found = -1;

	if (!copy)
		return -1;
	for (dir = strtok_r(copy, ":", &save); dir && found;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(buf, size, "%s/%s", dir, name);
		if (access(buf, X_OK) == 0)
			found = 0;
	}
	free(copy);
	if (found && access("/usr/bin/fusermount3", X_OK) == 0) {
		snprintf(buf, size, "/usr/bin/fusermount3");
		found = 0;
	}
	return found;
}

static void check_fusermount(void)
{
	char path[4096];
	struct stat st;

	if (which("fusermount3", path, sizeof(path)) != 0) {
		report("FAIL", "fusermount3", "not found", "apt-get install fuse3");
		return;
	}
	if (geteuid() != 0 && (stat(path, &st) != 0 ||
			       !(st.st_mode & S_ISUID) || st.st_uid != 0)) {
		report("FAIL", "fusermount3", "not setuid root: users cannot "
		       "mount", "chmod u+s /usr/bin/fusermount3 (as the fuse3 "
		       "package installs it)");
		return;
	}
	report(" ok ", "fusermount3", path, NULL);
}

static void check_allow_other(int asked)
{
	FILE *f;
	char line[256];
	int found = 0;

	if (!asked) {
		report("skip", "user_allow_other", "-o allow_other not asked for",
		       NULL);
		return;
	}
	if (geteuid() == 0) {
		report(" ok ", "user_allow_other", "not needed as root", NULL);
		return;
	}
	f = fopen("/etc/fuse.conf", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "user_allow_other", 16) == 0)
			found = 1;
	if (f)
		fclose(f);
	if (found)
		report(" ok ", "user_allow_other", "set in /etc/fuse.conf", NULL);
	else
		report("FAIL", "user_allow_other", "not set in /etc/fuse.conf",
		       "add the line user_allow_other to /etc/fuse.conf (as "
		       "root), or mount without -o allow_other");
}

/* One organization's credentials and endpoints. */
struct dorg {
	char name[TCFS_NAME_MAX + 1];
	struct tc_config cfg;
};

static size_t load_env(struct dorg *out)
{
	const char *pub = getenv("TIDBCLOUD_PUBLIC_KEY");
	const char *priv = getenv("TIDBCLOUD_PRIVATE_KEY");

	if (!(pub && *pub) && !(priv && *priv))
		return 0;
	if (!(pub && *pub) || !(priv && *priv)) {
		report("FAIL", "credentials", "only one of TIDBCLOUD_PUBLIC_KEY "
		       "and TIDBCLOUD_PRIVATE_KEY is set", "set both, or "
		       "neither and use a ticloud profile");
		return 0;
	}
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "default");
	tc_config_from_env(&out->cfg);
	report(" ok ", "credentials", "TIDBCLOUD_PUBLIC_KEY and "
	       "TIDBCLOUD_PRIVATE_KEY from the environment (organization "
	       "default)", NULL);
	return 1;
}

static size_t load_profiles(const struct tcfs_doctor_opts *o,
			    struct tc_profile_list *pl, struct dorg *out,
			    size_t max)
{
	char path[4096], msg[4600];
	struct tc_error err;
	struct stat st;
	size_t n = 0;

	if (o->config)
		snprintf(path, sizeof(path), "%s", o->config);
	else
		snprintf(path, sizeof(path), "%s/.ticloud/config.toml",
			 getenv("HOME") ? getenv("HOME") : "");
	if (stat(path, &st) != 0) {
		snprintf(msg, sizeof(msg), "no environment keys and %s: %s",
			 path, strerror(errno));
		report("FAIL", "credentials", msg, "export TIDBCLOUD_PUBLIC_KEY "
		       "and TIDBCLOUD_PRIVATE_KEY (systemd: EnvironmentFile= of "
		       "mode 0600), or create a ticloud profile");
		return 0;
	}
	if (st.st_mode & 077) {
		snprintf(msg, sizeof(msg), "%s has mode %04o: readable or "
			 "writable by others", path, (unsigned)(st.st_mode & 07777));
		report("FAIL", "credentials file mode", msg, "chmod 600 the file");
		return 0;
	}
	snprintf(msg, sizeof(msg), "%s, mode %04o", path,
		 (unsigned)(st.st_mode & 07777));
	report(" ok ", "credentials file mode", msg, NULL);
	tc_error_clear(&err);
	if (tc_profiles_load(path, pl, &err) != 0) {
		report("FAIL", "credentials", err.message, "fix the file (ticloud "
		       "config set / ticloud config create)");
		return 0;
	}
	for (size_t i = 0; i < pl->count && n < max; i++) {
		struct tc_profile *p = &pl->items[i];

		if (!p->name || !p->public_key || !p->private_key)
			continue;
		if (o->profile && strcmp(o->profile, p->name) != 0)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].name, sizeof(out[n].name), "%s", p->name);
		tc_config_from_env(&out[n].cfg);
		out[n].cfg.public_key = p->public_key;
		out[n].cfg.private_key = p->private_key;
		if (p->serverless_endpoint)
			out[n].cfg.base_url[TC_FAMILY_SERVERLESS] = p->serverless_endpoint;
		if (p->iam_endpoint)
			out[n].cfg.base_url[TC_FAMILY_IAM] = p->iam_endpoint;
		n++;
	}
	if (n == 0) {
		snprintf(msg, sizeof(msg), "%s: no profile%s%s with an API key "
			 "pair", path, o->profile ? " " : "",
			 o->profile ? o->profile : "");
		report("FAIL", "credentials", msg, "ticloud config create, or "
		       "-o profile= with an existing profile");
	} else {
		snprintf(msg, sizeof(msg), "%zu profile(s) with API keys in %s",
			 n, path);
		report(" ok ", "credentials", msg, NULL);
	}
	return n;
}

/* The cheapest authenticated GET of each host the mount uses. */
static const struct {
	enum tc_family family;
	const char *path;
} probes[] = {
	{ TC_FAMILY_V1BETA, "/projects?page=1&page_size=1" },
	{ TC_FAMILY_SERVERLESS, "/regions" },
	{ TC_FAMILY_DEDICATED, "/regions" },
};

static void check_host(struct dorg *d, tc_client *c, size_t i)
{
	char what[1200], detail[1000], line[900];
	struct tc_error err;
	const char *url = tc_client_base_url(c, probes[i].family);
	const char *h = strstr(url, "://");
	int r;

	snprintf(what, sizeof(what), "%.255s: %.*s", d->name,
		 (int)(strcspn(h ? h + 3 : url, "/") % 900), h ? h + 3 : url);
	tc_error_clear(&err);
	r = tc_request(c, probes[i].family, "GET", probes[i].path, NULL, NULL,
		       &err);
	tc_error_format(&err, line, sizeof(line));
	if (r == 0 || (err.http_status && err.http_status != 401 &&
		       err.http_status != 403 && err.http_status < 500)) {
		snprintf(detail, sizeof(detail), "TLS trusted, reached, "
			 "authenticated%s%s", r ? " (" : "", r ? line : "");
		if (r)
			strncat(detail, ")", sizeof(detail) - strlen(detail) - 1);
		report(" ok ", what, detail, NULL);
	} else if (err.kind == TC_E_TLS) {
		report("FAIL", what, line, "the server's certificate is not "
		       "trusted: install ca-certificates, or -o cacert=FILE "
		       "with the CA that signed it; check the clock");
	} else if (err.http_status == 401 || err.http_status == 403) {
		report("FAIL", what, line, "the API key was refused: check "
		       "TIDBCLOUD_PUBLIC_KEY / TIDBCLOUD_PRIVATE_KEY or the "
		       "profile's keys (TiDB Cloud console, Organization "
		       "Settings, API Keys)");
	} else {
		report("FAIL", what, line, "cannot reach the host: check the "
		       "network, DNS, proxy variables (https_proxy) and "
		       "-o connect_to");
	}
}

static void check_clock_and_rate(struct dorg *d, tc_client *c)
{
	struct tc_stats st;
	char what[400], msg[200];
	long long skew;

	tc_client_stats(c, &st);
	snprintf(what, sizeof(what), "%.255s: clock skew", d->name);
	if (!st.server_date) {
		report("skip", what, "no Date header received", NULL);
	} else {
		skew = (long long)(st.server_date_local - st.server_date);
		snprintf(msg, sizeof(msg), "%+llds against the API's Date header",
			 skew);
		report(llabs(skew) > SKEW_MAX_S ? "FAIL" : " ok ", what, msg,
		       "set the clock (timedatectl set-ntp true, or chrony)");
	}
	snprintf(what, sizeof(what), "%.255s: rate-limit headroom", d->name);
	if (st.ratelimit_remaining < 0) {
		report(" ok ", what, "no X-Ratelimit headers (no limit seen)",
		       NULL);
		return;
	}
	snprintf(msg, sizeof(msg), "%d of %d requests left this minute",
		 st.ratelimit_remaining, st.ratelimit_limit);
	report(st.ratelimit_remaining < HEADROOM_MIN ? "FAIL" : " ok ", what,
	       msg, "another client uses the same key heavily: wait a "
	       "minute, or give the mount its own API key");
}

int tcfs_doctor(const struct tcfs_doctor_opts *o)
{
	struct tc_profile_list pl;
	struct dorg orgs[16];
	size_t n;

	memset(&pl, 0, sizeof(pl));
	failures = 0;
	printf("tidbcloudfs %s doctor\n", TCFS_VERSION);
	check_dev_fuse();
	check_fusermount();
	check_allow_other(o->allow_other);
	n = o->profile ? 0 : load_env(orgs);
	if (n == 0 && !failures)
		n = load_profiles(o, &pl, orgs, sizeof(orgs) / sizeof(orgs[0]));
	if (o->cacert && access(o->cacert, R_OK) != 0) {
		report("FAIL", "cacert", strerror(errno), "give a readable PEM "
		       "file to -o cacert=");
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct tc_error err;
		tc_client *c;

		orgs[i].cfg.connect_to = o->connect_to;
		orgs[i].cfg.cacert = o->cacert;
		orgs[i].cfg.max_retries = -1;          /* answer at once */
		orgs[i].cfg.connect_timeout_ms = 5000;
		orgs[i].cfg.timeout_ms = 15000;
		tc_error_clear(&err);
		if (!(c = tc_client_new(&orgs[i].cfg, &err))) {
			report("FAIL", orgs[i].name, err.message, "check -o "
			       "cacert and the endpoint variables");
			continue;
		}
		for (size_t j = 0; j < sizeof(probes) / sizeof(probes[0]); j++)
			check_host(&orgs[i], c, j);
		check_clock_and_rate(&orgs[i], c);
		tc_client_free(c);
	}
	tc_profiles_release(&pl);
	if (failures)
		printf("%d check(s) failed\n", failures);
	else
		printf("all checks passed\n");
	return failures ? 1 : 0;
}
