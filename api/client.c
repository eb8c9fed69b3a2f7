/*
 * client.c — the client's lifecycle: configuration (defaults, credentials,
 * base URLs per family), the transport and clock it runs on, statistics,
 * logging, tc_config_from_env and tc_escape.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "tc_internal.h"

/* ---- the real clock ----------------------------------------------------- */

static uint64_t real_now_ms(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void real_sleep_ms(void *arg, long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	(void)arg;
	while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

const struct tc_clock tc_clock_real = { real_now_ms, real_sleep_ms, NULL };

/* ---- base URLs ------------------------------------------------------------ */

static const struct {
	const char *host;
	const char *path;
} defaults[TC_FAMILY_COUNT] = {
	[TC_FAMILY_V1BETA]      = { "api.tidbcloud.com", "/api/v1beta" },
	[TC_FAMILY_SERVERLESS]  = { "serverless.tidbapi.com", "/v1beta1" },
	[TC_FAMILY_DEDICATED]   = { "dedicated.tidbapi.com", "/v1beta1" },
	[TC_FAMILY_IAM]         = { "iam.tidbapi.com", "/v1beta1" },
	[TC_FAMILY_BILLING]     = { "billing.tidbapi.com", "/v1beta1" },
	[TC_FAMILY_DATASERVICE] = { "dataservice.tidbapi.com", "/v1beta1" },
	[TC_FAMILY_MSP]         = { "msp.tidbapi.com", "/v1beta1/msp" },
};

/*
 * A value is "host[:port]", "host[:port]/path" or "scheme://host[:port][/path]".
 * The scheme is always https (TLS is never optional; an http:// value is
 * upgraded, as the Terraform provider does for the v1beta1 endpoints). A
 * path, when given, is honoured (TIDBCLOUD_HOST=https://h/api/v1beta);
 * without one the family's default path is used (/api/v1beta or /v1beta1).
 */
char *tc_base_url_resolve(enum tc_family family, const char *value,
			  struct tc_error *err)
{
	const char *p, *slash;
	size_t hostlen, pathlen;
	char *out;

	if ((unsigned)family >= TC_FAMILY_COUNT) {
		tc_error_set(err, TC_E_INVALID, "unknown API family %d", (int)family);
		return NULL;
	}
	if (!value || !*value) {
		size_t n = strlen(defaults[family].host) + strlen(defaults[family].path) + 9;
		out = malloc(n);
		if (out)
			snprintf(out, n, "https://%s%s", defaults[family].host,
				 defaults[family].path);
		else
			tc_error_set(err, TC_E_NOMEM, "out of memory");
		return out;
	}
	p = value;
	if (strncasecmp(p, "https://", 8) == 0) {
		p += 8;
	} else if (strncasecmp(p, "http://", 7) == 0) {
		p += 7;
	} else if (strstr(p, "://")) {
		tc_error_set(err, TC_E_CONFIG,
			     "%s endpoint '%s': only https URLs are supported",
			     tc_family_name(family), value);
		return NULL;
	}
	slash = strchr(p, '/');
	hostlen = slash ? (size_t)(slash - p) : strlen(p);
	if (hostlen == 0 || memchr(p, '@', hostlen) || memchr(p, ' ', hostlen) ||
	    memchr(p, '?', hostlen) || memchr(p, '#', hostlen)) {
		tc_error_set(err, TC_E_CONFIG, "%s endpoint '%s' is not a valid "
			     "host or URL", tc_family_name(family), value);
		return NULL;
	}
	pathlen = slash ? strlen(slash) : 0;
	while (pathlen > 0 && slash[pathlen - 1] == '/')
		pathlen--;
	if (slash && (memchr(slash, '?', pathlen) || memchr(slash, '#', pathlen) ||
		      memchr(slash, ' ', pathlen))) {
		tc_error_set(err, TC_E_CONFIG, "%s endpoint '%s': a base URL "
			     "cannot carry a query or fragment",
			     tc_family_name(family), value);
		return NULL;
	}
	if (pathlen == 0) {
		slash = defaults[family].path;
		pathlen = strlen(slash);
	}
	out = malloc(8 + hostlen + pathlen + 1);
	if (!out) {
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		return NULL;
	}
	memcpy(out, "https://", 8);
	memcpy(out + 8, p, hostlen);
	memcpy(out + 8 + hostlen, slash, pathlen);
	out[8 + hostlen + pathlen] = '\0';
	return out;
}

/* ---- configuration -------------------------------------------------------- */

int tc_config_from_env(struct tc_config *cfg)
{
	static const struct {
		const char *name;
		int family;            /* -1: a key */
	} vars[] = {
		{ "TIDBCLOUD_HOST", TC_FAMILY_V1BETA },
		{ "TIDBCLOUD_SERVERLESS_ENDPOINT", TC_FAMILY_SERVERLESS },
		{ "TIDBCLOUD_DEDICATED_ENDPOINT", TC_FAMILY_DEDICATED },
		{ "TIDBCLOUD_IAM_ENDPOINT", TC_FAMILY_IAM },
		{ "TIDBCLOUD_BILLING_ENDPOINT", TC_FAMILY_BILLING },
		{ "TIDBCLOUD_DATASERVICE_ENDPOINT", TC_FAMILY_DATASERVICE },
		{ "TIDBCLOUD_MSP_ENDPOINT", TC_FAMILY_MSP },
	};
	const char *v;
	int n = 0;

	if (!cfg)
		return 0;
	if ((v = getenv("TIDBCLOUD_PUBLIC_KEY")) && *v) {
		cfg->public_key = v;
		n++;
	}
	if ((v = getenv("TIDBCLOUD_PRIVATE_KEY")) && *v) {
		cfg->private_key = v;
		n++;
	}
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		if ((v = getenv(vars[i].name)) && *v) {
			cfg->base_url[vars[i].family] = v;
			n++;
		}
	}
	return n;
}

/* ---- lifecycle ------------------------------------------------------------ */

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void tc_client_free(tc_client *c)
{
	if (!c)
		return;
	if (c->tops && c->tops->destroy)
		c->tops->destroy(c->transport);
	for (int f = 0; f < TC_FAMILY_COUNT; f++)
		free(c->base_url[f]);
	free(c->public_key);
	wipe_free(c->private_key);
	tc_digest_state_destroy(&c->digest);
	tc_ratelimit_destroy(&c->ratelimit);
	tc_inflight_destroy(&c->inflight);
	free(c);
}

static tc_client *client_alloc(const struct tc_config *cfg,
			       struct tc_error *err)
{
	tc_client *c;
	uint64_t seed = 0;

	tc_error_clear(err);
	if (!cfg) {
		tc_error_set(err, TC_E_INVALID, "no configuration");
		return NULL;
	}
	if (!cfg->public_key || !*cfg->public_key || !cfg->private_key ||
	    !*cfg->private_key) {
		tc_error_set(err, TC_E_CONFIG, "missing API key: set "
			     "TIDBCLOUD_PUBLIC_KEY and TIDBCLOUD_PRIVATE_KEY, or "
			     "use a profile of ~/.ticloud/config.toml");
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		return NULL;
	}
	tc_digest_state_init(&c->digest);
	tc_ratelimit_init(&c->ratelimit);
	tc_inflight_init(&c->inflight, cfg->max_in_flight > 0 ? cfg->max_in_flight : 0,
			 cfg->in_flight_wait_ms > 0 ? cfg->in_flight_wait_ms : 1000);
	c->public_key = strdup(cfg->public_key);
	c->private_key = strdup(cfg->private_key);
	if (!c->public_key || !c->private_key) {
		tc_error_set(err, TC_E_NOMEM, "out of memory");
		goto fail;
	}
	for (int f = 0; f < TC_FAMILY_COUNT; f++) {
		c->base_url[f] = tc_base_url_resolve(f, cfg->base_url[f], err);
		if (!c->base_url[f])
			goto fail;
	}
	c->connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 10000;
	c->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 60000;
	c->retry_budget_ms = cfg->retry_budget_ms > 0 ? cfg->retry_budget_ms : 30000;
	c->max_body_bytes = cfg->max_body_bytes > 0 ? cfg->max_body_bytes : 16u << 20;
	c->max_retries = cfg->max_retries < 0 ? 0 : cfg->max_retries > 0 ? cfg->max_retries : 4;
	c->ratelimit.fallback_limit = cfg->rate_limit_per_minute > 0 ?
				      cfg->rate_limit_per_minute : 100;
	c->debug = cfg->debug;
	c->log = cfg->log;
	c->log_arg = cfg->log_arg;
	c->interrupted = cfg->interrupted;
	c->interrupted_arg = cfg->interrupted_arg;
	c->clock = tc_clock_real;
	if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed))
		seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL ^ (uint64_t)getpid();
	atomic_store(&c->rng, seed | 1);
	return c;
fail:
	tc_client_free(c);
	return NULL;
}

tc_client *tc_client_new_with_transport(const struct tc_config *cfg,
					const struct tc_transport_ops *ops,
					void *transport,
					const struct tc_clock *clock,
					struct tc_error *err)
{
	tc_client *c = client_alloc(cfg, err);

	if (!c) {
		if (ops && ops->destroy)
			ops->destroy(transport);
		return NULL;
	}
	c->tops = ops;
	c->transport = transport;
	if (clock)
		c->clock = *clock;
	return c;
}

tc_client *tc_client_new(const struct tc_config *cfg, struct tc_error *err)
{
	struct tc_transport_options opt = { 0 };
	const struct tc_transport_ops *ops;
	void *self;
	tc_client *c = client_alloc(cfg, err);

	if (!c)
		return NULL;
	if (cfg->cacert && access(cfg->cacert, R_OK) != 0) {
		tc_error_set(err, TC_E_CONFIG, "cannot read CA file '%s': %s",
			     cfg->cacert, strerror(errno));
		tc_client_free(c);
		return NULL;
	}
	opt.connect_to = cfg->connect_to;
	opt.cacert = cfg->cacert;
	opt.user_agent = cfg->user_agent && *cfg->user_agent ?
			 cfg->user_agent : TC_DEFAULT_USER_AGENT;
	for (const char *p = opt.user_agent; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			tc_error_set(err, TC_E_CONFIG, "the user agent must not "
				     "hold control characters");
			tc_client_free(c);
			return NULL;
		}
	}
	if (tc_transport_curl_new(&opt, &ops, &self, err) != 0) {
		tc_client_free(c);
		return NULL;
	}
	c->tops = ops;
	c->transport = self;
	return c;
}

const char *tc_client_base_url(const tc_client *c, enum tc_family family)
{
	if (!c || (unsigned)family >= TC_FAMILY_COUNT)
		return NULL;
	return c->base_url[family];
}

const char *tc_client_public_key(const tc_client *c)
{
	return c ? c->public_key : NULL;
}

void tc_client_stats(tc_client *c, struct tc_stats *out)
{
	memset(out, 0, sizeof(*out));
	if (!c)
		return;
	out->requests = atomic_load(&c->requests);
	out->api_calls = atomic_load(&c->api_calls);
	out->retries = atomic_load(&c->retries);
	out->throttled_ms = atomic_load(&c->throttled_ms);
	out->server_date = (int64_t)atomic_load(&c->server_date);
	out->server_date_local = (int64_t)atomic_load(&c->server_date_local);
	pthread_mutex_lock(&c->ratelimit.lock);
	out->ratelimit_limit = (int)c->ratelimit.limit;
	out->ratelimit_remaining = (int)c->ratelimit.remaining;
	out->ratelimit_reset_s = (int)c->ratelimit.reset_s;
	pthread_mutex_unlock(&c->ratelimit.lock);
}

void tc_client_set_pacing(tc_client *c, int enabled)
{
	pthread_mutex_lock(&c->ratelimit.lock);
	c->ratelimit.enabled = enabled;
	pthread_mutex_unlock(&c->ratelimit.lock);
}

uint64_t tc_client_challenges(tc_client *c)
{
	uint64_t n;

	pthread_mutex_lock(&c->digest.lock);
	n = c->digest.challenges;
	pthread_mutex_unlock(&c->digest.lock);
	return n;
}

uint64_t tc_client_random(tc_client *c)
{
	uint64_t x = atomic_load(&c->rng), next;

	do {
		next = x;
		next ^= next << 13;
		next ^= next >> 7;
		next ^= next << 17;
	} while (!atomic_compare_exchange_weak(&c->rng, &x, next));
	return next;
}

void tc_client_log(const tc_client *c, int level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!c || !c->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	c->log(c->log_arg, level, line);
}

/* ---- escaping ------------------------------------------------------------- */

char *tc_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	char *out, *o;

	if (!s)
		s = "";
	for (const char *p = s; *p; p++)
		n++;
	out = malloc(3 * n + 1);
	if (!out)
		return NULL;
	o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}
