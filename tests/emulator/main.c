/*
 * main.c — tidbcloud-emulator: options, certificates, the MHD daemon and the
 * signal loop. See man/tidbcloud-emulator.1.
 */
#include "auth.h"
#include "emu.h"
#include "faults.h"
#include "http.h"
#include "model.h"
#include "ratelimit.h"
#include "stats.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct emu_config emu_cfg = {
	.listen = "127.0.0.1:0",
	.transition_ms = 3000,
	.long_transition_ms = 600000,
	.latency_ms = 0,
	.rate_limit = 100,
	.rate_window_ms = 60000,
	.nonce_ttl_s = 300,
	.presign_ttl_s = 900,
};

static void usage(FILE *out)
{
	fprintf(out,
"usage: tidbcloud-emulator [OPTION]...\n"
"An emulator of the TiDB Cloud management API (HTTPS, digest auth) for tests.\n"
"\n"
"  --listen ADDR:PORT    address to listen on (default 127.0.0.1:0, a free port)\n"
"  --port-file FILE      write the chosen port to FILE once listening\n"
"  --seed FILE           initial projects and clusters (default: built in)\n"
"  --transition-ms N     length of transitional states (default 3000)\n"
"  --long-transition-ms N  length of UPGRADING, IMPORTING, MAINTENANCE and\n"
"                        MAINTAINING (default 600000)\n"
"  --latency-ms N        delay every API response by N ms (default 0)\n"
"  --rate-limit N        requests per window per API key (default 100, 0 = unlimited)\n"
"  --rate-window-ms N    length of the rate-limit window (default 60000)\n"
"  --nonce-ttl SECONDS   lifetime of a digest nonce (default 300)\n"
"  --presign-ttl SECONDS lifetime of presigned download/upload URLs (default 900)\n"
"  --cert FILE           server certificate (default tests/certs/server.pem)\n"
"  --key FILE            server private key (default tests/certs/server-key.pem)\n"
"  --log-requests        print one line per API request to stderr\n"
"  --fault-rate P        fault each API request with probability P (0 to 1;\n"
"                        500, 503, reset, truncate or malformed; default 0)\n"
"  --fault-seed N        seed of the random faults (default 1)\n"
"  --help                show this help\n"
"\n"
"Credentials: TIDBCLOUD_PUBLIC_KEY / TIDBCLOUD_PRIVATE_KEY\n"
"(default demo-public-key / demo-private-key).\n");
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	fputs("tidbcloud-emulator: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static long parse_num(const char *opt, const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0) {
		fprintf(stderr, "tidbcloud-emulator: %s: not a non-negative number: %s\n",
			opt, s);
		exit(2);
	}
	return v;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			cap = (len + 4096 + 1) * 2;
			char *p = realloc(buf, cap);
			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* tests/certs/NAME from the current directory, else relative to the
 * executable (build/, build/emu/, build/san-x/...). Static buffer. */
static const char *default_cert_path(const char *name)
{
	static char out[2][PATH_MAX];
	static int which;
	char exe[PATH_MAX];
	char *res = out[which++ & 1];
	ssize_t n;

	snprintf(res, PATH_MAX, "tests/certs/%s", name);
	if (access(res, R_OK) == 0)
		return res;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		static const char *const ups[] = { "..", "../..", "../../.." };
		for (size_t i = 0; i < sizeof(ups) / sizeof(ups[0]); i++) {
			snprintf(res, PATH_MAX, "%.*s/%s/tests/certs/%s",
				 PATH_MAX / 2, exe, ups[i], name);
			if (access(res, R_OK) == 0)
				return res;
		}
	}
	snprintf(res, PATH_MAX, "tests/certs/%s", name);
	return res;
}

static int parse_listen(const char *s, struct sockaddr_storage *ss,
			socklen_t *len, bool *v6)
{
	char addr[128];
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon || colon == s || (size_t)(colon - s) >= sizeof(addr))
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		return -1;
	memcpy(addr, s, (size_t)(colon - s));
	addr[colon - s] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (addr[0] == '[') {
		size_t l = strlen(addr);
		if (l < 3 || addr[l - 1] != ']')
			return -1;
		addr[l - 1] = '\0';
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, addr + 1, &a->sin6_addr) != 1)
			return -1;
		*len = sizeof(*a);
		*v6 = true;
		return 0;
	}
	struct sockaddr_in *a = (struct sockaddr_in *)ss;
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	if (strcmp(addr, "localhost") == 0)
		snprintf(addr, sizeof(addr), "127.0.0.1");
	if (inet_pton(AF_INET, addr, &a->sin_addr) != 1)
		return -1;
	*len = sizeof(*a);
	*v6 = false;
	return 0;
}

static void write_port_file(const char *path, unsigned port)
{
	char tmp[PATH_MAX];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	f = fopen(tmp, "w");
	if (!f)
		die("%s: %s", tmp, strerror(errno));
	fprintf(f, "%u\n", port);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		die("%s: %s", path, strerror(errno));
	}
}

static void mhd_logger(void *cls, const char *fmt, va_list ap)
{
	fputs("tidbcloud-emulator: mhd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	enum { O_LISTEN = 256, O_PORT_FILE, O_SEED, O_TRANSITION, O_LONG, O_LATENCY,
	       O_RATE, O_RATE_WINDOW, O_NONCE_TTL, O_PRESIGN_TTL, O_CERT, O_KEY,
	       O_LOG, O_HELP, O_FAULT_RATE, O_FAULT_SEED };
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, O_LISTEN },
		{ "port-file", required_argument, NULL, O_PORT_FILE },
		{ "seed", required_argument, NULL, O_SEED },
		{ "transition-ms", required_argument, NULL, O_TRANSITION },
		{ "long-transition-ms", required_argument, NULL, O_LONG },
		{ "latency-ms", required_argument, NULL, O_LATENCY },
		{ "rate-limit", required_argument, NULL, O_RATE },
		{ "rate-window-ms", required_argument, NULL, O_RATE_WINDOW },
		{ "nonce-ttl", required_argument, NULL, O_NONCE_TTL },
		{ "presign-ttl", required_argument, NULL, O_PRESIGN_TTL },
		{ "cert", required_argument, NULL, O_CERT },
		{ "key", required_argument, NULL, O_KEY },
		{ "log-requests", no_argument, NULL, O_LOG },
		{ "fault-rate", required_argument, NULL, O_FAULT_RATE },
		{ "fault-seed", required_argument, NULL, O_FAULT_SEED },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 }
	};
	struct sockaddr_storage ss;
	socklen_t sslen;
	bool v6 = false;
	char err[512];
	double fault_rate = 0;
	unsigned long long fault_seed = 1;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case O_LISTEN:     emu_cfg.listen = optarg; break;
		case O_PORT_FILE:  emu_cfg.port_file = optarg; break;
		case O_SEED:       emu_cfg.seed_file = optarg; break;
		case O_TRANSITION: emu_cfg.transition_ms = parse_num("--transition-ms", optarg); break;
		case O_LONG:       emu_cfg.long_transition_ms = parse_num("--long-transition-ms", optarg); break;
		case O_LATENCY:    emu_cfg.latency_ms = parse_num("--latency-ms", optarg); break;
		case O_RATE:       emu_cfg.rate_limit = parse_num("--rate-limit", optarg); break;
		case O_RATE_WINDOW:
			emu_cfg.rate_window_ms = parse_num("--rate-window-ms", optarg);
			if (emu_cfg.rate_window_ms == 0) {
				fprintf(stderr, "tidbcloud-emulator: --rate-window-ms must be positive\n");
				return 2;
			}
			break;
		case O_NONCE_TTL:  emu_cfg.nonce_ttl_s = parse_num("--nonce-ttl", optarg); break;
		case O_PRESIGN_TTL: emu_cfg.presign_ttl_s = parse_num("--presign-ttl", optarg); break;
		case O_CERT:       emu_cfg.cert_file = optarg; break;
		case O_KEY:        emu_cfg.key_file = optarg; break;
		case O_LOG:        emu_cfg.log_requests = true; break;
		case O_FAULT_RATE: {
			char *end = NULL;

			fault_rate = strtod(optarg, &end);
			if (!*optarg || !end || *end || !(fault_rate >= 0 && fault_rate <= 1)) {
				fprintf(stderr, "tidbcloud-emulator: --fault-rate: expected "
					"a probability from 0 to 1, got %s\n", optarg);
				return 2;
			}
			break;
		}
		case O_FAULT_SEED: fault_seed = (unsigned long long)parse_num("--fault-seed", optarg); break;
		case 'h':
		case O_HELP:       usage(stdout); return 0;
		default:           usage(stderr); return 2;
		}
	}
	emu_faults_random(fault_rate, fault_seed);
	if (optind < argc) {
		fprintf(stderr, "tidbcloud-emulator: unexpected argument: %s\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}
	if (parse_listen(emu_cfg.listen, &ss, &sslen, &v6) != 0) {
		fprintf(stderr, "tidbcloud-emulator: --listen: expected ADDR:PORT, got %s\n",
			emu_cfg.listen);
		return 2;
	}

	emu_cfg.public_key = getenv("TIDBCLOUD_PUBLIC_KEY");
	emu_cfg.private_key = getenv("TIDBCLOUD_PRIVATE_KEY");
	if (!emu_cfg.public_key || !*emu_cfg.public_key ||
	    !emu_cfg.private_key || !*emu_cfg.private_key) {
		emu_cfg.public_key = "demo-public-key";
		emu_cfg.private_key = "demo-private-key";
		fprintf(stderr, "tidbcloud-emulator: TIDBCLOUD_PUBLIC_KEY/TIDBCLOUD_PRIVATE_KEY "
			"not set, using demo-public-key / demo-private-key\n");
	}
	if (!emu_cfg.cert_file)
		emu_cfg.cert_file = default_cert_path("server.pem");
	if (!emu_cfg.key_file)
		emu_cfg.key_file = default_cert_path("server-key.pem");
	char *cert = read_file(emu_cfg.cert_file);
	char *key = read_file(emu_cfg.key_file);
	if (!cert || !key)
		die("cannot read %s: %s (use --cert/--key)",
		    cert ? emu_cfg.key_file : emu_cfg.cert_file, strerror(errno));

	if (emu_model_load(emu_cfg.seed_file, err, sizeof(err)) != 0)
		die("seed: %s", err);
	emu_auth_init();

	/* Threads started by MHD inherit this mask: signals go to sigwait. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_TLS | MHD_USE_THREAD_PER_CONNECTION |
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
		MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0),
		0, NULL, NULL, emu_http_access, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_logger, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_HTTPS_MEM_CERT, cert,
		MHD_OPTION_HTTPS_MEM_KEY, key,
		MHD_OPTION_NOTIFY_COMPLETED, emu_http_completed, NULL,
		MHD_OPTION_NOTIFY_CONNECTION, emu_http_connection, NULL,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
		MHD_OPTION_END);
	if (!d)
		die("cannot listen on %s (or TLS setup failed)", emu_cfg.listen);
	const union MHD_DaemonInfo *info =
		MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = info ? info->port : 0;
	if (emu_cfg.port_file)
		write_port_file(emu_cfg.port_file, port);
	fprintf(stderr, "tidbcloud-emulator: listening on port %u "
		"(transition %ld ms, latency %ld ms, rate limit %ld per %ld ms)\n",
		port, emu_cfg.transition_ms, emu_cfg.latency_ms, emu_cfg.rate_limit,
		emu_cfg.rate_window_ms);

	int sig = 0;
	while (sigwait(&sigs, &sig) != 0)
		;
	fprintf(stderr, "tidbcloud-emulator: signal %d, stopping\n", sig);
	MHD_stop_daemon(d);
	emu_model_free();
	emu_stats_free();
	emu_ratelimit_free();
	emu_faults_clear();
	free(cert);
	free(key);
	return 0;
}
