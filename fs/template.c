/*
 * template.c — a collection's .template.json: the stored text (store.h,
 * TCFS_SLOT_TEMPLATE) or the row's default (struct tcfs_create
 * template_default, in the family's file), and its validation on write.
 * No API calls; mkdir (actions.c) hands the parsed text to the row's body
 * builder.
 */
#include "tcfs.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

char *tcfs_template_text(const struct tcfs_node *coll, size_t *len,
			 time_t *mtime)
{
	char key[TCFS_KEY_MAX];
	const struct tcfs_create *mk;
	struct tcfs_node dir;
	char *text;

	tcfs_node_dir(coll, &dir);
	tcfs_node_dirkey(&dir, key, sizeof(key));
	text = tcfs_store_get(key, TCFS_SLOT_TEMPLATE, len, mtime);
	if (text)
		return text;
	mk = tcfs_kind(coll->kind)->mkdir;
	text = mk && mk->template_default ? mk->template_default(&dir) : NULL;
	*len = text ? strlen(text) : 0;
	return text;
}

int tcfs_commit_template(const struct tcfs_node *coll, const char *text,
			 size_t len)
{
	char key[TCFS_KEY_MAX];
	struct tcfs_node dir;
	json_error_t jerr;
	json_t *v;

	if (tcfs_g->opts.ro)
		return -EROFS;
	tcfs_node_dir(coll, &dir);
	if (len > TCFS_MAX_TEXT) {
		tcfs_error_set(&dir, ".template.json rejected: %zu bytes is more "
			       "than the %d-byte limit", len, TCFS_MAX_TEXT);
		return -EFBIG;
	}
	v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!v || !json_is_object(v)) {
		if (v)
			tcfs_error_set(&dir, ".template.json rejected: it must be "
				       "a JSON object");
		else
			tcfs_error_set(&dir, ".template.json rejected: invalid JSON: "
				       "%s (line %d, column %d)", jerr.text,
				       jerr.line, jerr.column);
		json_decref(v);
		return -EINVAL;
	}
	json_decref(v);
	tcfs_node_dirkey(&dir, key, sizeof(key));
	tcfs_error_clear(&dir);
	return tcfs_store_set(key, TCFS_SLOT_TEMPLATE, text, len);
}
