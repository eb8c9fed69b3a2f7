/*
 * main.c — tidbcloudfs: options, credentials, the first API call, mount.
 *
 *   tidbcloudfs [-f] [-d] [-o OPTION[,OPTION...]] MOUNTPOINT
 *
 * The mount fails BEFORE daemonizing (message on stderr, exit status 1)
 * when credentials are missing or rejected or the API cannot be reached:
 * every organization makes one real call first (the projects list, which
 * also fills the cache and gives the org id). Keys are never accepted on
 * the command line and never logged.
 */
#include "ops.h"
#include "cache.h"
#include "overlay.h"
#include "store.h"
#include "scratch.h"
#include "naming.h"
#include "log.h"
#include "mountopt.h"
#include "control.h"
#include "doctor.h"

#include "validate.h"

#include <errno.h>
#include <fuse_lowlevel.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cmdline {
	char *connect_to;
	char *cacert;
	char *profile;
	char *config;
	char *cache_timeout;
	char *cache_max_mb;
	char *default_region;
	char *log_level;
	char *umask;
	char *wait_timeout;
	char *secret_ttl;
	char *connect_timeout;
	char *request_timeout;
	char *first_arg;          /* first non-option argument (see opt_proc) */
	char *profile_arg;        /* PROFILE of `tidbcloudfs PROFILE MNT` */
	int nonopts;
	int allow_other;
	int max_threads_given;    /* -o max_threads= was on the command line */
	int doctor;
	int nodelete;
	int debug_api;
	int ro;
	int show_help;
	int show_version;
	int bad_secret;
};

enum { KEY_HELP, KEY_VERSION, KEY_RO, KEY_SECRET, KEY_DOCTOR, KEY_ALLOW_OTHER,
       KEY_MAX_THREADS };

#define OPT(t, m) { t, offsetof(struct cmdline, m), 1 }
static const struct fuse_opt opt_table[] = {
	OPT("connect_to=%s", connect_to),
	OPT("cacert=%s", cacert),
	OPT("profile=%s", profile),
	OPT("config=%s", config),
	OPT("cache_timeout=%s", cache_timeout),
	OPT("cache_max_mb=%s", cache_max_mb),
	OPT("default_region=%s", default_region),
	OPT("log_level=%s", log_level),
	OPT("umask=%s", umask),
	OPT("wait_timeout=%s", wait_timeout),
	OPT("secret_ttl=%s", secret_ttl),
	OPT("connect_timeout=%s", connect_timeout),
	OPT("request_timeout=%s", request_timeout),
	OPT("nodelete", nodelete),
	OPT("debug_api", debug_api),
	FUSE_OPT_KEY("ro", KEY_RO),
	FUSE_OPT_KEY("public_key=", KEY_SECRET),
	FUSE_OPT_KEY("private_key=", KEY_SECRET),
	FUSE_OPT_KEY("-h", KEY_HELP),
	FUSE_OPT_KEY("--help", KEY_HELP),
	FUSE_OPT_KEY("-V", KEY_VERSION),
	FUSE_OPT_KEY("--version", KEY_VERSION),
	FUSE_OPT_KEY("--doctor", KEY_DOCTOR),
	FUSE_OPT_KEY("allow_other", KEY_ALLOW_OTHER),
	FUSE_OPT_KEY("max_threads=", KEY_MAX_THREADS),
	FUSE_OPT_END
};

static int opt_proc(void *data, const char *arg, int key,
		    struct fuse_args *outargs)
{
	struct cmdline *c = data;

	(void)arg;
	(void)outargs;
	switch (key) {
	case KEY_HELP:
		c->show_help = 1;
		return 0;
	case KEY_VERSION:
		c->show_version = 1;
		return 0;
	case KEY_RO:
		c->ro = 1;
		return 1;      /* keep it: the kernel mount is read-only too */
	case KEY_SECRET:
		c->bad_secret = 1;
		return 0;
	case KEY_DOCTOR:
		c->doctor = 1;
		return 0;
	case KEY_ALLOW_OTHER:
		c->allow_other = 1;
		return 1;
	case KEY_MAX_THREADS:
		c->max_threads_given = 1;
		return 1;      /* kept for fuse_parse_cmdline */
	case FUSE_OPT_KEY_NONOPT:
		/* `tidbcloudfs PROFILE MOUNTPOINT` (as mount.fuse3 runs it):
		 * the first of two non-options is the profile */
		if (++c->nonopts == 1) {
			c->first_arg = strdup(arg);
			return c->first_arg ? 0 : -1;
		}
		if (c->nonopts == 2) {
			c->profile_arg = c->first_arg;
			c->first_arg = NULL;
		}
		return 1;
	default:
		return 1;
	}
}

static void usage(const char *prog)
{
	printf("usage: %s [-f] [-d] [-o OPTION[,OPTION...]] [PROFILE] MOUNTPOINT\n"
	       "       %s --doctor [-o OPTION[,OPTION...]]\n\n"
	       "Shows a TiDB Cloud organization as a directory tree.\n\n"
	       "tidbcloudfs options:\n"
	       "    -o connect_to=HOST:PORT  send every connection there (keeps Host/TLS names)\n"
	       "    -o cacert=FILE           also trust this CA bundle\n"
	       "    -o profile=NAME          use this ticloud profile only\n"
	       "    -o config=FILE           ticloud config (default ~/.ticloud/config.toml)\n"
	       "    -o cache_timeout=SECONDS how long API answers are reused (default 2)\n"
	       "    -o cache_max_mb=MB       memory for cached answers per organization;\n"
	       "                             least recently used go first (default 256)\n"
	       "    -o default_region=REGION region of the cluster template (default aws-us-east-1)\n"
	       "    -o ro                    refuse every change (EROFS)\n"
	       "    -o nodelete              refuse rmdir of resources (EPERM)\n"
	       "    -o debug_api             log every API request\n"
	       "    -o log_level=LEVEL       error, warn, info (default) or debug\n"
	       "    -o wait_timeout=SECONDS  longest a read of `wait` blocks (default 1800)\n"
	       "    -o secret_ttl=SECONDS    an unread generated password is wiped after (default 600)\n"
	       "    -o connect_timeout=SECONDS  connecting, TLS included (default 10)\n"
	       "    -o request_timeout=SECONDS  one request, whole (default 60; a stall\n"
	       "                             of min(30, this) seconds ends it too)\n"
	       "    -o uid=N,gid=N,umask=M   owner and permissions shown (FUSE options)\n"
	       "    --doctor                 check the setup (FUSE, credentials, TLS, API)\n"
	       "PROFILE, when given, is a ticloud profile (as -o profile=); `default`\n"
	       "means the environment's keys. mount(8)/fstab options such as _netdev,\n"
	       "noauto, nofail, user, x-systemd.* are accepted and ignored.\n"
	       "Credentials: TIDBCLOUD_PUBLIC_KEY and TIDBCLOUD_PRIVATE_KEY (organization\n"
	       "directory `default`), else the ticloud profiles (each profile one\n"
	       "organization directory). Keys are never taken from the command line.\n\n",
	       prog, prog);
}

/* ---- organizations --------------------------------------------------------- */

static struct tcfs_ctx ctx;
static struct tc_config *configs;     /* one per org, for (re)creating clients */
static struct tc_profile_list profiles;

/* -o NAME=SECONDS of a request timeout (absent: *out stays 0, the
 * library's default). 0 / -1 with a message. */
static int parse_seconds(const char *prog, const char *name, const char *v,
			 double *out)
{
	char *end = NULL;
	double t;

	if (!v)
		return 0;
	t = strtod(v, &end);
	if (!*v || !end || *end || !isfinite(t) || t < 1 || t > 3600) {
		fprintf(stderr, "%s: %s=%s: expected seconds (1 to 3600)\n",
			prog, name, v);
		return -1;
	}
	*out = t;
	return 0;
}

static void base_config(struct tc_config *cfg, const struct tcfs_opts *o)
{
	cfg->connect_to = o->connect_to;
	cfg->cacert = o->cacert;
	cfg->debug = o->debug_api || o->log_debug;
	cfg->log = tcfs_log_tc;
	cfg->interrupted = tcfs_interrupted;
	if (o->connect_timeout > 0)
		cfg->connect_timeout_ms = (long)(o->connect_timeout * 1000);
	if (o->request_timeout > 0)
		cfg->timeout_ms = (long)(o->request_timeout * 1000);
	/* a stalled host holds at most TCFS_HOST_IN_FLIGHT worker threads in
	 * requests; one more request waits 1 s for a slot, then fails with
	 * EAGAIN (not sent), so the other threads keep answering from the
	 * cache (cached ls, .error) */
	cfg->max_in_flight = TCFS_HOST_IN_FLIGHT;
	cfg->in_flight_wait_ms = 15000;
}

static int add_org(const char *name, const char *profile,
		   const struct tc_config *cfg)
{
	struct tcfs_org *orgs = realloc(ctx.orgs, (ctx.norgs + 1) * sizeof(*orgs));
	struct tc_config *cfgs = realloc(configs, (ctx.norgs + 1) * sizeof(*cfgs));
	struct tcfs_org *org;

	if (orgs)
		ctx.orgs = orgs;
	if (cfgs)
		configs = cfgs;
	if (!orgs || !cfgs)
		return -1;
	org = &ctx.orgs[ctx.norgs];
	memset(org, 0, sizeof(*org));
	snprintf(org->name, sizeof(org->name), "%s", name);
	snprintf(org->profile, sizeof(org->profile), "%s", profile ? profile : "");
	pthread_mutex_init(&org->lock, NULL);
	configs[ctx.norgs] = *cfg;
	ctx.norgs++;
	return 0;
}

static int credentials(const char *prog)
{
	const char *pub = getenv("TIDBCLOUD_PUBLIC_KEY");
	const char *priv = getenv("TIDBCLOUD_PRIVATE_KEY");
	int have_pub = pub && *pub, have_priv = priv && *priv;
	struct tc_error err;
	struct tc_config cfg;

	if (!ctx.opts.profile && (have_pub || have_priv)) {
		if (!have_pub || !have_priv) {
			fprintf(stderr, "%s: TIDBCLOUD_PUBLIC_KEY and TIDBCLOUD_PRIVATE_KEY "
				"must both be set\n", prog);
			return -1;
		}
		memset(&cfg, 0, sizeof(cfg));
		tc_config_from_env(&cfg);
		base_config(&cfg, &ctx.opts);
		return add_org("default", NULL, &cfg);
	}
	tc_error_clear(&err);
	if (tc_profiles_load(ctx.opts.config, &profiles, &err) != 0) {
		char line[900];

		if (!ctx.opts.profile && !ctx.opts.config && err.kind == TC_E_CONFIG &&
		    access(getenv("HOME") ? getenv("HOME") : "/", F_OK) == 0 &&
		    strstr(err.message, "No such file")) {
			fprintf(stderr, "%s: no credentials: set TIDBCLOUD_PUBLIC_KEY and "
				"TIDBCLOUD_PRIVATE_KEY, or configure a ticloud profile "
				"(~/.ticloud/config.toml)\n", prog);
			return -1;
		}
		tc_error_format(&err, line, sizeof(line));
		fprintf(stderr, "%s: no credentials: %s\n", prog,
			err.message[0] ? err.message : line);
		if (!ctx.opts.profile && !ctx.opts.config)
			fprintf(stderr, "%s: set TIDBCLOUD_PUBLIC_KEY and "
				"TIDBCLOUD_PRIVATE_KEY, or configure a ticloud "
				"profile\n", prog);
		return -1;
	}
	for (size_t i = 0; i < profiles.count; i++) {
		struct tc_profile *p = &profiles.items[i];

		if (!p->name || !p->public_key || !p->private_key)
			continue;
		if (ctx.opts.profile && strcmp(ctx.opts.profile, p->name) != 0)
			continue;
		if (!tcfs_name_valid(p->name)) {
			fprintf(stderr, "%s: skipping profile with an unusable "
				"name\n", prog);
			continue;
		}
		memset(&cfg, 0, sizeof(cfg));
		tc_config_from_env(&cfg);   /* endpoint overrides */
		cfg.public_key = p->public_key;
		cfg.private_key = p->private_key;
		if (p->serverless_endpoint)
			cfg.base_url[TC_FAMILY_SERVERLESS] = p->serverless_endpoint;
		if (p->iam_endpoint)
			cfg.base_url[TC_FAMILY_IAM] = p->iam_endpoint;
		base_config(&cfg, &ctx.opts);
		if (add_org(p->name, p->name, &cfg) != 0)
			return -1;
	}
	if (ctx.norgs == 0) {
		if (ctx.opts.profile)
			fprintf(stderr, "%s: no profile \"%s\" with an API key pair "
				"in the ticloud config\n", prog, ctx.opts.profile);
		else
			fprintf(stderr, "%s: no credentials: set TIDBCLOUD_PUBLIC_KEY "
				"and TIDBCLOUD_PRIVATE_KEY, or configure a ticloud "
				"profile with an API key pair\n", prog);
		return -1;
	}
	return 0;
}

static int create_clients(const char *prog)
{
	for (size_t i = 0; i < ctx.norgs; i++) {
		struct tc_error err;
		char line[900];

		tc_error_clear(&err);
		ctx.orgs[i].client = tc_client_new(&configs[i], &err);
		if (!ctx.orgs[i].client) {
			tc_error_format(&err, line, sizeof(line));
			fprintf(stderr, "%s: organization %s: %s\n", prog,
				ctx.orgs[i].name, err.message[0] ? err.message : line);
			return -1;
		}
	}
	return 0;
}

static void free_clients(void)
{
	for (size_t i = 0; i < ctx.norgs; i++) {
		tc_client_free(ctx.orgs[i].client);
		ctx.orgs[i].client = NULL;
	}
}

/* The first real call of each organization: the projects list. */
static int first_call(const char *prog)
{
	for (size_t i = 0; i < ctx.norgs; i++) {
		struct tcfs_org *org = &ctx.orgs[i];
		struct tcfs_node coll;
		struct tc_error err;
		json_t *items = NULL;
		char line[900];
		int r;

		memset(&coll, 0, sizeof(coll));
		coll.org = (int)i;
		coll.kind = TCFS_K_PROJECTS;
		tc_error_clear(&err);
		r = tcfs_fetch_list(org, TCFS_K_PROJECT, &coll, &items, &err);
		json_decref(items);
		if (r == 0)
			continue;
		tc_error_format(&err, line, sizeof(line));
		if (err.http_status == 401 || err.http_status == 403)
			fprintf(stderr, "%s: organization %s: the API key was rejected "
				"(%s). Check TIDBCLOUD_PUBLIC_KEY / "
				"TIDBCLOUD_PRIVATE_KEY or the profile.\n", prog,
				org->name, line);
		else
			fprintf(stderr, "%s: organization %s: cannot reach the TiDB "
				"Cloud API: %s\n", prog, org->name, line);
		return -1;
	}
	return 0;
}

static void cleanup(void)
{
	free_clients();
	tcfs_children_forget_all();
	for (size_t i = 0; i < ctx.norgs; i++) {
		tcfs_cache_free(ctx.orgs[i].cache);
		tcfs_overlay_free(ctx.orgs[i].overlay);
		pthread_mutex_destroy(&ctx.orgs[i].lock);
	}
	free(ctx.orgs);
	free(configs);
	tc_profiles_release(&profiles);
	tcfs_store_free_all();
	tcfs_scratch_free_all();
}

static char *absolute(const char *prog, const char *what, const char *path)
{
	char *abs = realpath(path, NULL);

	if (!abs)
		fprintf(stderr, "%s: %s %s: %s\n", prog, what, path, strerror(errno));
	return abs;
}

/* A value-taking option given with a malformed value is refused before
 * mounting (fuse_opt accepts "cache_timeout=" with an empty string). */
static int check_options(const char *prog, const struct cmdline *c)
{
	const struct { const char *name, *value; } v[] = {
		{ "connect_to", c->connect_to }, { "cacert", c->cacert },
		{ "profile", c->profile }, { "config", c->config },
		{ "cache_timeout", c->cache_timeout },
		{ "cache_max_mb", c->cache_max_mb },
		{ "default_region", c->default_region },
	};
	char msg[300];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		if (v[i].value && !*v[i].value) {
			fprintf(stderr, "%s: -o %s= needs a value\n", prog, v[i].name);
			return -1;
		}
	}
	if (c->connect_to) {
		const char *colon = strrchr(c->connect_to, ':');
		char *end = NULL;
		long port = colon ? strtol(colon + 1, &end, 10) : 0;

		if (!colon || colon == c->connect_to || !end || end == colon + 1 ||
		    *end || port < 1 || port > 65535) {
			fprintf(stderr, "%s: connect_to=%s: expected HOST:PORT (port "
				"1 to 65535)\n", prog, c->connect_to);
			return -1;
		}
	}
	if (c->default_region &&
	    tcfs_valid_region_id(c->default_region, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "%s: default_region: %s\n", prog, msg);
		return -1;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	char **fargv = tcfs_mountopt_filter(argc, argv);
	struct fuse_args args = FUSE_ARGS_INIT(argc, fargv ? fargv : argv);
	struct fuse_cmdline_opts cmd;
	struct cmdline c;
	const char *prog = "tidbcloudfs";
	struct fuse *fuse = NULL;
	int status = 1, mounted = 0, r;

	memset(&c, 0, sizeof(c));
	memset(&cmd, 0, sizeof(cmd));
	if (fargv)
		args.argc = tcfs_mountopt_count(fargv);
	if (fuse_opt_parse(&args, &c, opt_table, opt_proc) == -1) {
		tcfs_mountopt_free(fargv);
		return 1;
	}
	if (c.first_arg && fuse_opt_add_arg(&args, c.first_arg) != 0)
		goto out;
	if (c.bad_secret) {
		fprintf(stderr, "%s: API keys are never accepted on the command "
			"line; use TIDBCLOUD_PUBLIC_KEY / TIDBCLOUD_PRIVATE_KEY or a "
			"ticloud profile\n", prog);
		goto out;
	}
	if (c.show_version) {
		printf("tidbcloudfs %s (libtidbcloud %s, libfuse %s)\n", TCFS_VERSION,
		       TIDBCLOUD_VERSION, fuse_pkgversion());
		status = 0;
		goto out;
	}
	if (c.show_help) {
		usage(argv[0]);
		printf("FUSE options:\n");
		fuse_cmdline_help();
		fuse_lib_help(&args);
		status = 0;
		goto out;
	}
	if (c.log_level && tcfs_log_level_parse(c.log_level) < 0) {
		fprintf(stderr, "%s: log_level=%s: expected error, warn, info or "
			"debug\n", prog, c.log_level);
		goto out;
	}
	if (c.profile_arg && strcmp(c.profile_arg, "default") != 0 &&
	    strcmp(c.profile_arg, "tidbcloudfs") != 0) {
		if (c.profile && strcmp(c.profile, c.profile_arg) != 0) {
			fprintf(stderr, "%s: profile %s and -o profile=%s differ\n",
				prog, c.profile_arg, c.profile);
			goto out;
		}
		if (!c.profile && !(c.profile = strdup(c.profile_arg)))
			goto out;
	}
	if (c.doctor) {
		struct tcfs_doctor_opts d = {
			.connect_to = c.connect_to, .cacert = c.cacert,
			.profile = c.profile, .config = c.config,
			.allow_other = c.allow_other,
		};

		status = tcfs_doctor(&d);
		goto out;
	}
	if (fuse_parse_cmdline(&args, &cmd) != 0)
		goto out;
	if (!cmd.mountpoint) {
		fprintf(stderr, "%s: no mountpoint (see %s --help)\n", prog, prog);
		goto out;
	}

	ctx.opts.ro = c.ro;
	ctx.opts.nodelete = c.nodelete;
	ctx.opts.debug_api = c.debug_api;
	ctx.opts.log_debug = c.log_level &&
		tcfs_log_level_parse(c.log_level) == LOG_DEBUG;
	ctx.opts.wait_timeout = 1800;
	if (c.umask) {
		char *end = NULL;
		unsigned long m = strtoul(c.umask, &end, 8);

		if (!*c.umask || !end || *end || m > 0777) {
			fprintf(stderr, "%s: umask=%s: expected an octal mode "
				"(0 to 0777)\n", prog, c.umask);
			goto out;
		}
		ctx.opts.umask = (mode_t)m;
		ctx.opts.umask_set = 1;
	}
	if (c.wait_timeout) {
		char *end = NULL;
		double t = strtod(c.wait_timeout, &end);

		if (!*c.wait_timeout || !end || *end || !isfinite(t) || t < 0 ||
		    t > 7 * 86400) {
			fprintf(stderr, "%s: wait_timeout=%s: expected seconds "
				"(0 to 604800)\n", prog, c.wait_timeout);
			goto out;
		}
		ctx.opts.wait_timeout = t;
	}
	ctx.opts.secret_ttl = TCFS_SECRET_TTL;
	if (parse_seconds(prog, "secret_ttl", c.secret_ttl,
			  &ctx.opts.secret_ttl) != 0)
		goto out;
	tcfs_store_set_ttl(TCFS_SLOT_SECRET, ctx.opts.secret_ttl);
	if (parse_seconds(prog, "connect_timeout", c.connect_timeout,
			  &ctx.opts.connect_timeout) != 0 ||
	    parse_seconds(prog, "request_timeout", c.request_timeout,
			  &ctx.opts.request_timeout) != 0)
		goto out;
	ctx.opts.foreground = cmd.foreground;
	ctx.opts.uid = getuid();
	ctx.opts.gid = getgid();
	ctx.opts.mount_time = time(NULL);
	ctx.opts.cache_timeout = 2.0;
	ctx.opts.default_region = c.default_region ? c.default_region : "aws-us-east-1";
	ctx.opts.connect_to = c.connect_to;
	ctx.opts.profile = c.profile;
	if (check_options(prog, &c) != 0)
		goto out;
	if (c.cache_timeout) {
		char *end = NULL;
		double t = strtod(c.cache_timeout, &end);

		if (!end || end == c.cache_timeout || *end || !isfinite(t) ||
		    t < 0 || t > 86400) {
			fprintf(stderr, "%s: cache_timeout=%s: expected seconds "
				"(0 to 86400)\n", prog, c.cache_timeout);
			goto out;
		}
		ctx.opts.cache_timeout = t;
	}
	ctx.opts.cache_max_mb = TCFS_CACHE_MAX_MB;
	if (c.cache_max_mb) {
		char *end = NULL;
		long mb = strtol(c.cache_max_mb, &end, 10);

		if (!end || end == c.cache_max_mb || *end || mb < 1 ||
		    mb > 65536) {
			fprintf(stderr, "%s: cache_max_mb=%s: expected megabytes "
				"(1 to 65536)\n", prog, c.cache_max_mb);
			goto out;
		}
		ctx.opts.cache_max_mb = (size_t)mb;
	}
	/* fuse_daemonize() changes to "/": make file names absolute first */
	if (c.cacert && !(ctx.opts.cacert = absolute(prog, "cacert", c.cacert)))
		goto out;
	if (c.config && !(ctx.opts.config = absolute(prog, "config", c.config)))
		goto out;

	tcfs_log_init(cmd.debug);
	if (c.log_level)
		tcfs_log_set_level(tcfs_log_level_parse(c.log_level));
	tcfs_log_api_lines(c.debug_api);
	tcfs_g = &ctx;
	if (credentials(prog) != 0)
		goto out;
	for (size_t i = 0; i < ctx.norgs; i++) {
		double neg = ctx.opts.cache_timeout < 1.0 ? ctx.opts.cache_timeout : 1.0;

		ctx.orgs[i].cache = tcfs_cache_new(ctx.opts.cache_timeout, neg, NULL);
		if (ctx.orgs[i].cache)
			tcfs_cache_set_limits(ctx.orgs[i].cache,
					      TCFS_CACHE_MAX_ENTRIES,
					      ctx.opts.cache_max_mb << 20);
		ctx.orgs[i].overlay = tcfs_overlay_new();
		if (!ctx.orgs[i].cache || !ctx.orgs[i].overlay) {
			fprintf(stderr, "%s: out of memory\n", prog);
			goto out;
		}
	}
	if (create_clients(prog) != 0 || first_call(prog) != 0)
		goto out;

	if (fuse_opt_add_arg(&args, "-ofsname=tidbcloudfs,subtype=tidbcloudfs,"
			     "default_permissions") != 0)
		goto out;
	fuse = fuse_new(&args, &tcfs_operations, sizeof(tcfs_operations), &ctx);
	if (!fuse)
		goto out;
	if (fuse_mount(fuse, cmd.mountpoint) != 0)
		goto out;
	mounted = 1;
	if (fuse_daemonize(cmd.foreground) != 0)
		goto out;
	if (!cmd.foreground) {
		/* a fresh client in the daemon process: nothing of the
		 * parent's connections or threads is carried across fork */
		tcfs_log_use_syslog();
		free_clients();
		if (create_clients(prog) != 0)
			goto out;
	}
	tcfs_log(LOG_INFO, "mounted %zu organization(s) on %s", ctx.norgs,
		 cmd.mountpoint);
	if (fuse_set_signal_handlers(fuse_get_session(fuse)) != 0)
		goto out;
	if (tcfs_control_start() != 0)
		tcfs_log(LOG_WARNING, "SIGUSR1 cache flush is not available");
	if (cmd.singlethread) {
		r = fuse_loop(fuse);
	} else {
		struct fuse_loop_config *lc = fuse_loop_cfg_create();

		if (!lc) {
			fuse_remove_signal_handlers(fuse_get_session(fuse));
			goto out;
		}
		fuse_loop_cfg_set_clone_fd(lc, (unsigned)cmd.clone_fd);
		if (cmd.max_idle_threads != UINT_MAX)
			fuse_loop_cfg_set_idle_threads(lc, cmd.max_idle_threads);
		/* libfuse 3.14's fuse_parse_cmdline sets max_threads to 10
		 * when -o max_threads is not given: readers waiting for a
		 * stalled answer held all ten, and a cached ls waited for the
		 * stall. Ours is well above what stalled hosts can hold
		 * (TCFS_HOST_IN_FLIGHT per host, plus readers waiting for
		 * those answers), so operations that need no request always
		 * find a thread; a value the user gives is kept. */
		fuse_loop_cfg_set_max_threads(lc, c.max_threads_given &&
					      cmd.max_threads > 0 &&
					      cmd.max_threads <= 100000 ?
					      cmd.max_threads : TCFS_MAX_THREADS);
		r = fuse_loop_mt(fuse, lc);
		fuse_loop_cfg_destroy(lc);
	}
	fuse_remove_signal_handlers(fuse_get_session(fuse));
	/* libfuse reports the signal that ended the loop (SIGTERM, SIGINT,
	 * SIGHUP) as a positive number: that is a clean unmount */
	status = r >= 0 ? 0 : 1;
	tcfs_log(LOG_INFO, "unmounting %s", cmd.mountpoint);
out:
	tcfs_control_stop();
	if (mounted)
		fuse_unmount(fuse);
	if (fuse)
		fuse_destroy(fuse);
	cleanup();
	free(ctx.opts.cacert);
	free(ctx.opts.config);
	free(cmd.mountpoint);
	free(c.connect_to);
	free(c.cacert);
	free(c.profile);
	free(c.config);
	free(c.cache_timeout);
	free(c.cache_max_mb);
	free(c.default_region);
	free(c.log_level);
	free(c.umask);
	free(c.wait_timeout);
	free(c.secret_ttl);
	free(c.connect_timeout);
	free(c.request_timeout);
	free(c.first_arg);
	free(c.profile_arg);
	fuse_opt_free_args(&args);
	tcfs_mountopt_free(fargv);
	return status;
}
