/*
 * control.h — cache control: SIGUSR1 and the verb `flush` written to
 * <org>/ctl drop every cached API answer of every organization (objects,
 * listings, remembered 404s), so the next read fetches afresh. Pending
 * creates and deletes (the overlay) and .error texts are kept.
 */
#ifndef TCFS_CONTROL_H
#define TCFS_CONTROL_H

struct tcfs_node;

/* Drop every organization's cache. Thread-safe. */
void tcfs_control_flush(void);
/* A verb written to <org>/ctl (`flush`); -EINVAL for any other (with
 * .error set). */
int tcfs_control_verb(const struct tcfs_node *org_dir, const char *verb);
/* Install the SIGUSR1 handler and the thread that serves it. 0 / -1. */
int tcfs_control_start(void);
/* Stop that thread and restore SIGUSR1 (safe when never started). */
void tcfs_control_stop(void);

#endif
