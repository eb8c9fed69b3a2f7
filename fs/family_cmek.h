/* family_cmek.h — projects/<p>/aws-cmek.json (family_cmek.c). */
#ifndef TCFS_FAMILY_CMEK_H
#define TCFS_FAMILY_CMEK_H

#include "tcfs.h"

/* Pure: the text written to aws-cmek.json → the POST body {specs: [...]}
 * (new reference). Accepts {"specs": [{region, kms_arn}, ...]} (or
 * "items", as the GET answers): at least one spec and at most 16, every
 * one an object of exactly region and kms_arn, region an AWS region code
 * ("us-west-2"), kms_arn "arn:aws:kms:<that region>:<12 digits>:key/<id>"
 * or ":alias/<name>" (at most 2048 characters), one region for all (the
 * API configures CMEK for one region per project). 0, or -EINVAL with
 * the rule in msg. */
int tcfs_cmek_body(const char *text, size_t len, json_t **body, char *msg,
		   size_t msgsz);
/* The hooks of the file (TCFS_F_HOOK): the configuration of the project
 * of file node n, and committing a written text for project node dir. */
int tcfs_cmek_render(const struct tcfs_node *n, char **text, size_t *len,
		     time_t *mtime);
int tcfs_cmek_commit(const struct tcfs_node *dir, const char *text,
		     size_t len);

#endif
