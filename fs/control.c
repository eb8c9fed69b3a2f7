/*
 * control.c — cache control (see control.h). The SIGUSR1 handler only
 * writes a byte to a pipe (async-signal-safe); a thread reads it and
 * flushes, so no lock is ever taken in a signal handler.
 */
#include "control.h"
#include "tcfs.h"
#include "cache.h"
#include "store.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static int pipefd[2] = { -1, -1 };
static pthread_t thread;
static int running;
static struct sigaction old_usr1;

void tcfs_control_flush(void)
{
	/* an unread generated password is no cache (its only copy), but it
	 * does not outlive -o secret_ttl: a flush wipes the older ones */
	tcfs_store_expire(TCFS_SLOT_SECRET);
	for (size_t i = 0; tcfs_g && i < tcfs_g->norgs; i++)
		if (tcfs_g->orgs[i].cache)
			tcfs_cache_invalidate_prefix(tcfs_g->orgs[i].cache, "");
}

int tcfs_control_verb(const struct tcfs_node *org_dir, const char *verb)
{
	if (strcmp(verb, "flush") == 0) {
		tcfs_control_flush();
		tcfs_log(LOG_INFO, "cache flushed (ctl)");
		return 0;
	}
	tcfs_error_set(org_dir, "ctl: unknown verb \"%s\" (available: flush)",
		       verb);
	return -EINVAL;
}

static void on_usr1(int sig)
{
	int saved = errno;
	char b = 'f';
	ssize_t r;

	(void)sig;
	r = write(pipefd[1], &b, 1);   /* a full pipe already asks for a flush */
	(void)r;
	errno = saved;
}

static void *serve(void *arg)
{
	char b;

	(void)arg;
	for (;;) {
		ssize_t r = read(pipefd[0], &b, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0 || b == 'q')
			break;
		tcfs_control_flush();
		tcfs_log(LOG_INFO, "cache flushed (SIGUSR1)");
	}
	return NULL;
}

int tcfs_control_start(void)
{
	struct sigaction sa;
	sigset_t all, old;

	if (running || pipe2(pipefd, O_CLOEXEC) != 0)
		return running ? 0 : -1;
	fcntl(pipefd[1], F_SETFL, O_NONBLOCK);
	/* the thread takes no signal: they go to the FUSE threads */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (pthread_create(&thread, NULL, serve, NULL) != 0) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		close(pipefd[0]);
		close(pipefd[1]);
		pipefd[0] = pipefd[1] = -1;
		return -1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	running = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, &old_usr1);
	return 0;
}

void tcfs_control_stop(void)
{
	char q = 'q';

	if (!running)
		return;
	sigaction(SIGUSR1, &old_usr1, NULL);
	/* blocking write of the quit byte: it must not be lost */
	fcntl(pipefd[1], F_SETFL, 0);
	if (write(pipefd[1], &q, 1) == 1)
		pthread_join(thread, NULL);
	else
		pthread_detach(thread);
	close(pipefd[0]);
	close(pipefd[1]);
	pipefd[0] = pipefd[1] = -1;
	running = 0;
}
