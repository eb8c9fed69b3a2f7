/* Unit tests: open-file handles, scratch files and their byte buffers
 * (fs/handles.c, fs/scratch.c, fs/textbuf.c): hostile offsets and sizes
 * (EFBIG, never an overflow or a huge allocation), the commit after a
 * refused write or truncate, ctl lines. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "handles.h"
#include "scratch.h"
#include "textbuf.h"

static struct tcfs_handle *spec_handle(const char *text)
{
	struct tcfs_node n;

	memset(&n, 0, sizeof(n));
	return tcfs_handle_new(TCFS_H_SPEC, &n, text ? strdup(text) : NULL,
			       text ? strlen(text) : 0, 0);
}

Test(textbuf, hostile_offsets_and_sizes)
{
	struct tcfs_textbuf b;
	char out[8];

	tcfs_textbuf_init(&b, NULL, 0, 1024);
	cr_assert_eq(tcfs_textbuf_write(&b, "x", 1, (off_t)1 << 62), -EFBIG);
	cr_assert_eq(tcfs_textbuf_write(&b, "x", 1, INT64_MAX), -EFBIG);
	/* off + size would wrap around */
	cr_assert_eq(tcfs_textbuf_write(&b, "x", SIZE_MAX - 10, 100), -EFBIG);
	cr_assert_eq(tcfs_textbuf_write(&b, "x", 1, -1), -EINVAL);
	cr_assert_eq(tcfs_textbuf_resize(&b, (off_t)1 << 40), -EFBIG);
	cr_assert_eq(tcfs_textbuf_resize(&b, -1), -EINVAL);
	cr_assert_eq(b.len, 0);
	cr_assert_null(b.data);
	/* the limit itself is fine; one byte more is not */
	cr_assert_eq(tcfs_textbuf_resize(&b, 1024), 0);
	cr_assert_eq(tcfs_textbuf_write(&b, "x", 1, 1024), -EFBIG);
	cr_assert_eq(tcfs_textbuf_write(&b, "ab", 2, 1022), 2);
	cr_assert_eq(b.len, 1024);
	cr_assert_eq(tcfs_textbuf_read(&b, out, sizeof(out), 1022), 2);
	cr_assert_eq(memcmp(out, "ab", 2), 0);
	cr_assert_eq(tcfs_textbuf_read(&b, out, sizeof(out), INT64_MAX), 0);
	cr_assert_eq(tcfs_textbuf_read(&b, out, sizeof(out), -5), -EINVAL);
	tcfs_textbuf_release(&b);
}

Test(handles, write_far_past_the_limit_fails_the_commit)
{
	struct tcfs_handle *h = spec_handle("{}");
	size_t len;
	int too_big;
	char *t;

	cr_assert_eq(tcfs_handle_write(h, "x", 1, (off_t)1 << 40), -EFBIG);
	t = tcfs_handle_take_dirty(h, &len, &too_big);
	cr_assert_not_null(t);
	cr_assert_eq(too_big, 1, "a refused write must make the commit fail");
	free(t);
	tcfs_handle_free(h);
}

/* A refused ftruncate changes nothing: a valid text written afterwards
 * commits (it used to fail with EFBIG at close). */
Test(handles, refused_truncate_does_not_poison_the_commit)
{
	struct tcfs_handle *h = spec_handle("{\"displayName\":\"a\"}");
	const char *next = "{\"displayName\":\"b\"}";
	size_t len;
	int too_big = -1;
	char *t;

	cr_assert_eq(tcfs_handle_truncate(h, (off_t)1 << 40), -EFBIG);
	cr_assert_eq(tcfs_handle_size(h), strlen("{\"displayName\":\"a\"}"));
	cr_assert_eq(tcfs_handle_truncate(h, 0), 0);
	cr_assert_eq(tcfs_handle_write(h, next, strlen(next), 0), (ssize_t)strlen(next));
	t = tcfs_handle_take_dirty(h, &len, &too_big);
	cr_assert_not_null(t);
	cr_assert_eq(too_big, 0);
	cr_assert_str_eq(t, next);
	free(t);
	/* clean now */
	cr_assert_null(tcfs_handle_take_dirty(h, &len, &too_big));
	tcfs_handle_free(h);
}

Test(handles, ctl_lines)
{
	struct tcfs_node n;
	struct tcfs_handle *h;
	char verb[8];

	memset(&n, 0, sizeof(n));
	h = tcfs_handle_new(TCFS_H_CTL, &n, NULL, 0, 0);
	cr_assert_eq(tcfs_handle_append(h, " pause \r\nres", 12, 4096), 12);
	cr_assert_eq(tcfs_handle_take_line(h, verb, sizeof(verb), 0), 1);
	cr_assert_str_eq(verb, "pause");
	cr_assert_eq(tcfs_handle_take_line(h, verb, sizeof(verb), 0), 0);
	cr_assert_eq(tcfs_handle_take_line(h, verb, sizeof(verb), 1), 1);
	cr_assert_str_eq(verb, "res");
	cr_assert_eq(tcfs_handle_take_line(h, verb, sizeof(verb), 1), 0);
	/* a long line is cut, never overflows */
	cr_assert_eq(tcfs_handle_append(h, "abcdefghijkl\n", 13, 4096), 13);
	cr_assert_eq(tcfs_handle_take_line(h, verb, sizeof(verb), 0), 1);
	cr_assert_str_eq(verb, "abcdefg");
	/* the command stream is bounded */
	cr_assert_eq(tcfs_handle_append(h, "x", 1, 0), -EINVAL);
	cr_assert_eq(tcfs_handle_append(h, "x", SIZE_MAX, 4096), -EINVAL);
	tcfs_handle_free(h);
}

Test(scratch, hostile_offsets_and_sizes)
{
	struct tcfs_scratch *s = NULL;
	struct stat st;
	char *big;

	cr_assert_eq(tcfs_scratch_create("k", "f", 0644, 1, &s), 0);
	cr_assert_eq(tcfs_scratch_write(s, "x", 1, (off_t)1 << 62), -EFBIG);
	cr_assert_eq(tcfs_scratch_truncate(s, (off_t)1 << 40), -EFBIG);
	cr_assert_eq(tcfs_scratch_write(s, "x", 1, TCFS_MAX_SCRATCH - 1), 1);
	cr_assert_eq(tcfs_scratch_write(s, "x", 1, TCFS_MAX_SCRATCH), -EFBIG);
	tcfs_scratch_stat(s, &st);
	cr_assert_eq(st.st_size, TCFS_MAX_SCRATCH);
	tcfs_scratch_unref(s);
	big = calloc(1, TCFS_MAX_SCRATCH + 1);
	cr_assert_eq(tcfs_scratch_put("k", "g", big, TCFS_MAX_SCRATCH + 1, 0644), -EFBIG);
	cr_assert_null(tcfs_scratch_lookup("k", "g"));
	free(big);
	tcfs_scratch_free_all();
}
