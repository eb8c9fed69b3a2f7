/* testemu.c — see testemu.h. */
#include "testemu.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

const char *testemu_source_path(const char *rel)
{
	static char out[PATH_MAX + 64];
	char dir[PATH_MAX];

	if (!getcwd(dir, sizeof(dir)))
		return rel;
	for (int depth = 0; depth < 6; depth++) {
		char probe[PATH_MAX + 32];
		snprintf(probe, sizeof(probe), "%s/tests/certs/ca.pem", dir);
		if (access(probe, R_OK) == 0) {
			snprintf(out, sizeof(out), "%s/%s", dir, rel);
			return out;
		}
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	return rel;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

int testemu_start(struct testemu *e, const char *const *extra)
{
	const char *build = getenv("TCFS_BUILD_DIR");
	char bin[PATH_MAX], portfile[300], logfile[300];
	const char *argv[64];
	int argc = 0;

	memset(e, 0, sizeof(*e));
	snprintf(e->dir, sizeof(e->dir), "/tmp/testemu.XXXXXX");
	if (!mkdtemp(e->dir))
		return -1;
	snprintf(bin, sizeof(bin), "%s/tidbcloud-emulator",
		 build ? build : "build");
	snprintf(portfile, sizeof(portfile), "%s/port", e->dir);
	snprintf(logfile, sizeof(logfile), "%s/emulator.log", e->dir);
	snprintf(e->cacert, sizeof(e->cacert), "%s",
		 testemu_source_path("tests/certs/ca.pem"));

	argv[argc++] = bin;
	argv[argc++] = "--listen";
	argv[argc++] = "127.0.0.1:0";
	argv[argc++] = "--port-file";
	argv[argc++] = portfile;
	for (int i = 0; extra && extra[i] && argc < 62; i++)
		argv[argc++] = extra[i];
	argv[argc] = NULL;

	e->pid = fork();
	if (e->pid < 0)
		return -1;
	if (e->pid == 0) {
		int fd = open(logfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			/* stdout too: an emulator must never hold the test
			 * runner's output pipe open. */
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		/* Never outlive the test process, even if it crashes. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		setenv("TIDBCLOUD_PUBLIC_KEY", TESTEMU_PUBLIC_KEY, 1);
		setenv("TIDBCLOUD_PRIVATE_KEY", TESTEMU_PRIVATE_KEY, 1);
		char *args[64];   /* execv wants non-const strings */
		for (int i = 0; i <= argc; i++)
			args[i] = argv[i] ? strdup(argv[i]) : NULL;
		execv(bin, args);
		fprintf(stderr, "testemu: exec %s: %s\n", bin, strerror(errno));
		_exit(127);
	}
	for (int i = 0; i < 1000; i++) {
		FILE *f = fopen(portfile, "r");
		if (f) {
			int port = 0;
			int n = fscanf(f, "%d", &port);
			fclose(f);
			if (n == 1 && port > 0) {
				e->port = port;
				snprintf(e->connect_to, sizeof(e->connect_to),
					 "127.0.0.1:%d", port);
				return 0;
			}
		}
		int status;
		if (waitpid(e->pid, &status, WNOHANG) == e->pid) {
			e->pid = 0;
			return -1;
		}
		sleep_ms(10);
	}
	testemu_stop(e);
	return -1;
}

int testemu_stop(struct testemu *e)
{
	int status = 0;
	char cmd[400];

	if (e->pid > 0) {
		kill(e->pid, SIGTERM);
		for (int i = 0; i < 500; i++) {
			if (waitpid(e->pid, &status, WNOHANG) == e->pid)
				break;
			if (i == 499) {
				kill(e->pid, SIGKILL);
				waitpid(e->pid, &status, 0);
			}
			sleep_ms(10);
		}
		e->pid = 0;
	}
	if (e->dir[0] && !getenv("TESTEMU_KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", e->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "testemu: could not remove %s\n", e->dir);
	}
	return status;
}

struct buf { char *data; size_t len; };

static size_t collect(char *p, size_t sz, size_t n, void *arg)
{
	struct buf *b = arg;
	char *grown = realloc(b->data, b->len + sz * n + 1);
	if (!grown)
		return 0;
	b->data = grown;
	memcpy(b->data + b->len, p, sz * n);
	b->len += sz * n;
	b->data[b->len] = '\0';
	return sz * n;
}

json_t *testemu_call(struct testemu *e, const char *method, const char *path,
		     const char *body, long *status)
{
	CURL *h = curl_easy_init();
	struct curl_slist *ct = NULL;
	struct buf b = { NULL, 0 };
	char url[256], conn[128];
	json_t *out = NULL;

	if (!h)
		return NULL;
	snprintf(url, sizeof(url), "https://api.tidbcloud.com%s", path);
	snprintf(conn, sizeof(conn), "::127.0.0.1:%d", e->port);
	ct = curl_slist_append(ct, conn);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_CONNECT_TO, ct);
	curl_easy_setopt(h, CURLOPT_CAINFO, e->cacert);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	if (body || strcmp(method, "POST") == 0)
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	if (status)
		*status = 0;
	if (curl_easy_perform(h) == CURLE_OK) {
		out = b.data ? json_loads(b.data, 0, NULL) : json_object();
		if (status)
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	}
	curl_easy_cleanup(h);
	curl_slist_free_all(ct);
	free(b.data);
	return out;
}

json_t *testemu_stats(struct testemu *e)
{
	return testemu_call(e, "GET", "/_emulator/stats", NULL, NULL);
}

int testemu_reset_stats(struct testemu *e)
{
	json_t *r = testemu_call(e, "POST", "/_emulator/reset-stats", NULL, NULL);
	if (!r)
		return -1;
	json_decref(r);
	return 0;
}

long testemu_stat(struct testemu *e, const char *field)
{
	json_t *s = testemu_stats(e);
	json_t *v = s ? json_object_get(s, field) : NULL;
	long out = json_is_integer(v) ? (long)json_integer_value(v) : -1;
	json_decref(s);
	return out;
}

long testemu_route(struct testemu *e, const char *route)
{
	json_t *s = testemu_stats(e);
	json_t *v = s ? json_object_get(json_object_get(s, "routes"), route) : NULL;
	long out = json_is_integer(v) ? (long)json_integer_value(v) : 0;
	json_decref(s);
	return out;
}

int testemu_fault(struct testemu *e, const char *spec)
{
	long status = 0;
	json_t *r = testemu_call(e, "POST", "/_emulator/faults", spec, &status);

	json_decref(r);
	return r && status == 200 ? 0 : -1;
}
