/*
 * fake_transport.h — a scripted transport and a fake clock for the api/
 * unit tests (header-only: every test program includes it once).
 *
 * The fake answers each exchange from `handler` if set, else from the
 * script (in order; the last entry repeats). It records every request.
 * The fake clock advances only when slept on (and by `latency_ms` per
 * exchange).
 */
#ifndef FAKE_TRANSPORT_H
#define FAKE_TRANSPORT_H

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tc_internal.h"

struct fake_reply {
	long status;              /* 0 with fail != 0: transport failure */
	const char *body;
	const char *www_auth;
	long rl_limit, rl_remaining, rl_reset;   /* 0,0,0 = absent (see below) */
	int rl_present;
	enum tc_errcode fail;     /* TC_E_CONNECT, TC_E_TIMEOUT, ... */
	const char *trace;
};

#define FAKE_MAX_REQ 20000

struct fake_clock {
	pthread_mutex_t lock;
	uint64_t now;
	uint64_t slept;
	long sleeps;
};

struct fake;
typedef int (*fake_handler)(struct fake *f, const struct tc_http_request *req,
			    struct tc_http_response *resp, struct tc_error *err);

struct fake {
	pthread_mutex_t lock;
	const struct fake_reply *script;
	size_t nscript, next;
	fake_handler handler;
	void *arg;
	struct fake_clock *clock;
	long latency_ms;
	size_t nreq;
	char *method[FAKE_MAX_REQ];
	char *url[FAKE_MAX_REQ];
	char *auth[FAKE_MAX_REQ];
	char *body[FAKE_MAX_REQ];
};

static inline uint64_t fake_now(void *arg)
{
	struct fake_clock *c = arg;
	uint64_t n;
	pthread_mutex_lock(&c->lock);
	n = c->now;
	pthread_mutex_unlock(&c->lock);
	return n;
}

static inline void fake_sleep(void *arg, long ms)
{
	struct fake_clock *c = arg;
	pthread_mutex_lock(&c->lock);
	c->now += (uint64_t)ms;
	c->slept += (uint64_t)ms;
	c->sleeps++;
	pthread_mutex_unlock(&c->lock);
}

static inline void fake_clock_init(struct fake_clock *c, uint64_t start)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->now = start;
}

static inline struct tc_clock fake_clock_ops(struct fake_clock *c)
{
	struct tc_clock k = { fake_now, fake_sleep, c };
	return k;
}

static inline char *fake_dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static inline void fake_reply_fill(const struct fake_reply *r,
				   struct tc_http_response *resp)
{
	resp->status = r->status;
	if (r->body) {
		resp->body = strdup(r->body);
		resp->body_len = strlen(r->body);
	}
	if (r->www_auth)
		resp->www_authenticate = strdup(r->www_auth);
	if (r->trace)
		tc_copy(resp->trace_id, sizeof(resp->trace_id), r->trace);
	if (r->rl_present) {
		resp->rl_limit = r->rl_limit;
		resp->rl_remaining = r->rl_remaining;
		resp->rl_reset = r->rl_reset;
	}
}

static inline int fake_perform(void *self, const struct tc_http_request *req,
			       struct tc_http_response *resp,
			       struct tc_error *err)
{
	struct fake *f = self;
	const struct fake_reply *r = NULL;
	size_t i;

	tc_http_response_init(resp);
	pthread_mutex_lock(&f->lock);
	i = f->nreq;
	if (f->nreq < FAKE_MAX_REQ) {
		f->method[i] = fake_dup(req->method);
		f->url[i] = fake_dup(req->url);
		f->auth[i] = fake_dup(req->authorization);
		f->body[i] = fake_dup(req->body);
		f->nreq++;
	}
	if (!f->handler && f->nscript) {
		r = &f->script[f->next < f->nscript ? f->next : f->nscript - 1];
		f->next++;
	}
	pthread_mutex_unlock(&f->lock);
	if (f->clock && f->latency_ms)
		fake_sleep(f->clock, f->latency_ms);
	if (f->handler)
		return f->handler(f, req, resp, err);
	if (!r) {
		tc_error_set(err, TC_E_CONNECT, "fake: no script");
		return -1;
	}
	if (r->fail) {
		tc_error_set(err, r->fail, "fake failure");
		return -1;
	}
	fake_reply_fill(r, resp);
	return 0;
}

static inline void fake_destroy(void *self)
{
	struct fake *f = self;
	for (size_t i = 0; i < f->nreq; i++) {
		free(f->method[i]);
		free(f->url[i]);
		free(f->auth[i]);
		free(f->body[i]);
	}
	pthread_mutex_destroy(&f->lock);
	free(f);
}

static const struct tc_transport_ops fake_ops = { .perform = fake_perform,
						  .destroy = fake_destroy };

static inline struct fake *fake_new(const struct fake_reply *script, size_t n)
{
	struct fake *f = calloc(1, sizeof(*f));
	pthread_mutex_init(&f->lock, NULL);
	f->script = script;
	f->nscript = n;
	return f;
}

/* A client on a fake; `cfg` may be NULL for test keys. */
static inline tc_client *fake_client(struct fake *f, struct fake_clock *clk,
				     const struct tc_config *cfg)
{
	struct tc_config def = { 0 };
	struct tc_error err;
	struct tc_clock k;

	if (!cfg) {
		def.public_key = "PUBKEY";
		def.private_key = "secret-private-key-XYZ";
		cfg = &def;
	}
	if (clk) {
		k = fake_clock_ops(clk);
		f->clock = clk;
	}
	return tc_client_new_with_transport(cfg, &fake_ops, f, clk ? &k : NULL,
					    &err);
}

#endif
