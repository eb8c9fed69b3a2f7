/*
 * test_emu_store.c — the emulator's generic object store (tests/emulator/
 * store.c, compiled in here with a fake clock): uniqueness per kind and
 * parents, listing by parent prefix in insertion order, the state timer
 * (states advance one --transition-ms period after another, catching up
 * after a long gap), removal after the last step, and refused input.
 */
#include <criterion/criterion.h>

#include "../emulator/store.c"

struct emu_config emu_cfg;
static int64_t now_ms = 1000;

int64_t emu_now_ms(void)
{
	return now_ms;
}

static void reset(void)
{
	now_ms = 1000;
	emu_cfg.transition_ms = 100;
}

static void teardown(void)
{
	emu_store_free();
}

TestSuite(store, .init = reset, .fini = teardown);

static json_t *obj(const char *id)
{
	return json_pack("{s:s}", "id", id);
}

static const char *state_of(const struct emu_object *o)
{
	return json_string_value(json_object_get(o->obj, "state"));
}

Test(store, unique_per_kind_and_parents)
{
	const char *c1[] = { "c1" }, *c2[] = { "c2" };

	cr_assert_not_null(emu_store_add("branch", "b1", c1, 1, obj("b1"), NULL));
	cr_expect_null(emu_store_add("branch", "b1", c1, 1, obj("b1"), NULL));
	cr_expect_not_null(emu_store_add("branch", "b1", c2, 1, obj("b1"), NULL));
	cr_expect_not_null(emu_store_add("export", "b1", c1, 1, obj("b1"), NULL));
	cr_expect_eq(emu_store_count("branch"), 2);
	cr_expect_not_null(emu_store_find("branch", c2, 1, "b1"));
	cr_expect_null(emu_store_find("branch", c1, 1, "b2"));
	cr_expect_not_null(emu_store_find("branch", NULL, 0, "b1"));
}

Test(store, refuses_bad_input)
{
	const char *four[] = { "a", "b", "c", "d" }, *empty[] = { "" };
	char longid[EMU_STORE_ID_LEN + 1];

	memset(longid, 'x', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	cr_expect_null(emu_store_add("k", "", NULL, 0, obj("x"), NULL));
	cr_expect_null(emu_store_add("k", NULL, NULL, 0, obj("x"), NULL));
	cr_expect_null(emu_store_add("k", longid, NULL, 0, obj("x"), NULL));
	cr_expect_null(emu_store_add("k", "x", four, 4, obj("x"), NULL));
	cr_expect_null(emu_store_add("k", "x", empty, 1, obj("x"), NULL));
	cr_expect_null(emu_store_add("k", "x", NULL, 1, obj("x"), NULL));
	cr_expect_null(emu_store_add("k", "x", NULL, 0, NULL, NULL));
	cr_expect_eq(emu_store_count("k"), 0);
}

Test(store, list_by_parent_prefix_in_order)
{
	const char *a[] = { "c1", "e1" }, *b[] = { "c1", "e2" }, *c[] = { "c2", "e1" };
	const char *c1[] = { "c1" };
	json_t *l;

	emu_store_add("file", "f1", a, 2, obj("f1"), NULL);
	emu_store_add("file", "f2", c, 2, obj("f2"), NULL);
	emu_store_add("file", "f3", b, 2, obj("f3"), NULL);
	emu_store_add("file", "f4", a, 2, obj("f4"), NULL);
	l = emu_store_list("file", a, 2, NULL, NULL);
	cr_assert_eq(json_array_size(l), 2);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(l, 0), "id")), "f1");
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(l, 1), "id")), "f4");
	json_decref(l);
	l = emu_store_list("file", c1, 1, NULL, NULL);
	cr_expect_eq(json_array_size(l), 3);
	json_decref(l);
	l = emu_store_list("file", NULL, 0, NULL, NULL);
	cr_expect_eq(json_array_size(l), 4);
	json_decref(l);
}

Test(store, states_advance_one_period_after_another)
{
	const char *steps[] = { "PENDING", "RUNNING", "SUCCESS" };
	struct emu_object *o = emu_store_add("backup", "b", NULL, 0, obj("b"), "state");

	emu_store_schedule(o, steps, 3, false);
	cr_expect_str_eq(state_of(o), "PENDING");
	now_ms += 99;
	emu_store_advance();
	cr_expect_str_eq(state_of(o), "PENDING");
	now_ms += 1;
	emu_store_advance();
	cr_expect_str_eq(state_of(o), "RUNNING");
	now_ms += 100;
	emu_store_advance();
	cr_expect_str_eq(state_of(o), "SUCCESS");
	cr_expect_eq(o->deadline_ms, 0);
	now_ms += 10000;
	emu_store_advance();
	cr_expect_str_eq(state_of(o), "SUCCESS");
}

Test(store, a_long_gap_catches_up_and_removes)
{
	const char *steps[] = { "DELETING" };
	const char *chain[] = { "PREPARING", "IMPORTING", "COMPLETED" };
	struct emu_object *gone = emu_store_add("k", "gone", NULL, 0, obj("g"), "state");
	struct emu_object *imp = emu_store_add("k", "imp", NULL, 0, obj("i"), "state");

	emu_store_schedule(gone, steps, 1, true);
	emu_store_schedule(imp, chain, 3, false);
	now_ms += 5000;
	emu_store_advance();
	cr_expect_null(emu_store_find("k", NULL, 0, "gone"));
	cr_expect_str_eq(state_of(imp), "COMPLETED");
	cr_expect_eq(emu_store_count("k"), 1);
}

Test(store, set_state_cancels_and_zero_period_is_immediate)
{
	const char *chain[] = { "RUNNING", "SUCCEEDED" };
	struct emu_object *o = emu_store_add("k", "x", NULL, 0, obj("x"), "status");

	emu_store_schedule(o, chain, 2, false);
	emu_store_set_state(o, "CANCELED");
	now_ms += 1000;
	emu_store_advance();
	cr_expect_str_eq(json_string_value(json_object_get(o->obj, "status")), "CANCELED");
	emu_cfg.transition_ms = 0;
	emu_store_schedule(o, chain, 2, false);
	emu_store_advance();
	cr_expect_str_eq(json_string_value(json_object_get(o->obj, "status")), "SUCCEEDED");
	emu_store_remove(o);
	cr_expect_eq(emu_store_count("k"), 0);
}
