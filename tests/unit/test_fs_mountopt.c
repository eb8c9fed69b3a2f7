/* test_fs_mountopt.c — the fstab/mount(8) options dropped before parsing. */
#include <criterion/criterion.h>
#include <string.h>
#include "mountopt.h"

Test(mountopt, ignored_names)
{
	const char *yes[] = { "_netdev", "noauto", "auto", "nofail", "user",
			      "users", "nouser", "defaults", "x-systemd.automount",
			      "x-systemd.idle-timeout=60", "comment=x", NULL };
	const char *no[] = { "ro", "rw", "nodev", "allow_other", "uid=1",
			     "connect_to=h:1", "profile=x", "userx", NULL };

	for (int i = 0; yes[i]; i++)
		cr_expect(tcfs_mountopt_ignored(yes[i]), "%s", yes[i]);
	for (int i = 0; no[i]; i++)
		cr_expect(!tcfs_mountopt_ignored(no[i]), "%s", no[i]);
}

Test(mountopt, filter_lists)
{
	char *argv[] = { "tidbcloudfs", "work", "/mnt", "-o",
			 "_netdev,ro,x-systemd.automount,uid=5", "-onoauto,nofail",
			 "-o", "user", "-f", NULL };
	char **v = tcfs_mountopt_filter(9, argv);

	cr_assert_not_null(v);
	cr_assert_eq(tcfs_mountopt_count(v), 6);
	cr_expect_str_eq(v[1], "work");
	cr_expect_str_eq(v[3], "-o");
	cr_expect_str_eq(v[4], "ro,uid=5");
	cr_expect_str_eq(v[5], "-f");
	tcfs_mountopt_free(v);
}
