/* fuzz_fs_render — an API object as the fs renders it, as every kind of
 * the resource table: pretty JSON (fs/render.c), mtimes, id/name/state,
 * each row's spec.json extraction and its validator on it, fields, a CSV
 * format hook (billing), a stream's size, via_of; then every fixed file of
 * every kind through tcfs_content on a mount context whose client answers
 * each request with the input (objects, listings, list files, second
 * calls, render hooks: CMEK, a Data App endpoint's query.sql and test).
 * Input: one JSON body (any family's list or get answer). */
#include <jansson.h>
#include "fuzz_fs.h"
#include "spec.h"

static void check_text(const char *text, size_t len)
{
	if (text && strlen(text) != len)
		abort();
}

/* The row's pure hooks on the parsed body. */
static void row_hooks(enum tcfs_kind kind, json_t *obj)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	char msg[512];
	size_t len;
	json_t *spec;

	(void)tcfs_object_mtime(kind, obj);
	if (k->id_key)
		(void)tcfs_json_str_borrow(obj, k->id_key);
	if (k->name_key)
		(void)tcfs_json_path_borrow(obj, k->name_key);
	if (k->state_key)
		(void)tcfs_json_str_borrow(obj, k->state_key);
	if (k->via_of)
		(void)k->via_of(obj);
	if (k->spec_from && (spec = k->spec_from(obj))) {
		free(tcfs_render_json(spec, &len));
		if (k->check) {
			msg[0] = '\0';
			if (k->check(spec, spec, msg, sizeof(msg)) != 0 && !msg[0])
				abort();
			(void)k->check(spec, NULL, msg, sizeof(msg));
		}
		json_decref(spec);
	}
	for (size_t i = 0; i < k->nfiles; i++) {
		const struct tcfs_file_desc *f = &k->files[i];
		if (f->field)
			(void)tcfs_json_path_borrow(obj, f->field);
		if (f->format) {
			char *t = f->format(obj, &len);
			check_text(t, len);
			free(t);
		}
		if (f->stream)
			(void)f->stream->size(obj);
	}
	if (k->as_file && k->as_file->stream)
		(void)k->as_file->stream->size(obj);
}

/* Every fixed file of a kind, as read(2) gets it (no wait: it blocks). */
static void row_files(enum tcfs_kind kind)
{
	const struct tcfs_kind_desc *k = tcfs_kind(kind);
	struct tcfs_node n;
	char *text;
	size_t len;
	time_t mtime;

	for (size_t i = 0; i < k->nfiles; i++) {
		const struct tcfs_file_desc *f = &k->files[i];
		if (f->type == TCFS_F_WAIT || f->type == TCFS_F_STREAM)
			continue;
		fuzz_node(&n, kind, f);
		text = NULL;
		if (tcfs_content(&n, &text, &len, &mtime) == 0 && text &&
		    f->type != TCFS_F_REJECTED)
			check_text(text, len);
		free(text);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part part = { (const char *)data, size };
	struct fuzz_tp tp = { &part, 1, 0, 0, 1 };
	uint64_t now = 1000;
	json_t *obj = json_loadb((const char *)data, size, 0, NULL);
	size_t len;
	char *text, *s;

	/* The time parser on raw bytes, too. */
	s = fuzz_strndup((const char *)data, size < 64 ? size : 64);
	if (s) {
		(void)tcfs_parse_time(s);
		free(s);
	}
	if (obj) {
		text = tcfs_render_json(obj, &len);
		if (text && (len == 0 || text[len - 1] != '\n' ||
			     strlen(text) != len))
			abort();
		free(text);
		for (int k = 0; k < TCFS_K_COUNT; k++)
			row_hooks((enum tcfs_kind)k, obj);
		json_decref(obj);
	}
	fuzz_mount_begin(&tp, &now, 600);
	for (int k = 0; k < TCFS_K_COUNT; k++)
		row_files((enum tcfs_kind)k);
	fuzz_mount_end();
	return 0;
}
