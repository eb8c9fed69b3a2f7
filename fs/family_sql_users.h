/*
 * family_sql_users.h — the pure hooks of family_sql_users.c that the unit
 * tests call (tests/unit/test_fs_sql_users.c).
 */
#ifndef TCFS_FAMILY_SQL_USERS_H
#define TCFS_FAMILY_SQL_USERS_H

#include <stddef.h>
#include <jansson.h>

/* Length of a generated password (of TCFS_SQL_PW_ALPHABET). */
#define TCFS_SQL_PW_LEN 32

/* A SQL user's name as mkdir gets it: 1..32 bytes of UTF-8, no control
 * character, none of / : @ ' " ` and space. 0 or -EINVAL with msg. */
int tcfs_sql_user_name_check(const char *name, char *msg, size_t msgsz);

/* The name against the cluster's userPrefix (Starter / Essential; NULL or
 * "" for Dedicated): it must start with "<prefix>." and have a name after
 * it, 32 bytes in all. 0 or -EINVAL with msg (which says the name to use). */
int tcfs_sql_user_prefix_check(const char *name, const char *prefix,
			       char *msg, size_t msgsz);

/* The POST body from a template {builtinRole, customRoles?, authMethod?,
 * password?} and the name. password NULL: the template's is used (it must
 * have one). 0 and *body, or -EINVAL with the rule in msg (never holding
 * the password). */
int tcfs_sql_user_body(json_t *tpl, const char *name, const char *password,
		       json_t **body, char *msg, size_t msgsz);

/* spec.json's fields of a changed SQL user against the current ones: 0 or
 * -EINVAL with "field: rule" (never the password). */
int tcfs_sql_user_check(json_t *spec, json_t *cur, char *msg, size_t msgsz);

/* A strong random password: TCFS_SQL_PW_LEN characters of letters and
 * digits (getrandom(2), uniform by rejection), at least one upper-case
 * letter, one lower-case letter and one digit; out holds size >=
 * TCFS_SQL_PW_LEN + 1. 0 or -EIO. */
int tcfs_sql_password_generate(char *out, size_t size);

#endif
