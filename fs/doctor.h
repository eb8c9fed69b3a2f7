/*
 * doctor.h — `tidbcloudfs --doctor [-o ...]`: checks what a mount needs
 * and prints a checklist, one line per check ("[ ok ]", "[FAIL]",
 * "[warn]", "[skip]") with the fix under each failure. Exit status 0 when
 * nothing failed, 1 otherwise. Never prints a key.
 */
#ifndef TCFS_DOCTOR_H
#define TCFS_DOCTOR_H

struct tcfs_doctor_opts {
	const char *connect_to;
	const char *cacert;
	const char *profile;
	const char *config;
	int allow_other;
};

int tcfs_doctor(const struct tcfs_doctor_opts *o);

#endif
