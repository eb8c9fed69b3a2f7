/*
 * family_private_endpoints.h — the pure hooks of family_private_endpoints.c
 * that the unit tests call (tests/unit/test_fs_private_endpoints.c).
 */
#ifndef TCFS_FAMILY_PRIVATE_ENDPOINTS_H
#define TCFS_FAMILY_PRIVATE_ENDPOINTS_H

#include <stddef.h>
#include <jansson.h>

/* mkdir's name (the endpointId): 1..128 bytes of UTF-8, no control
 * character, no '/', not "-". 0 or -EINVAL with msg. */
int tcfs_pe_name_check(const char *name, char *msg, size_t msgsz);
/* The endpointId on the cluster's cloud (AWS: ^vpce-[0-9a-f]{8,17}$;
 * others: no local rule). 0 or -EINVAL with msg. */
int tcfs_pe_endpoint_check(const char *cloud, const char *id,
			   char *msg, size_t msgsz);
/* The default TiDB node group id of a Dedicated cluster object (the group
 * with isDefaultGroup, else the first), borrowed, or NULL. */
const char *tcfs_pe_default_group(json_t *cluster);
/* The create body {endpointId, tidbNodeGroupId, accountId?} from the
 * template {accountId?, tidbNodeGroupId?} and the cluster object. 0 or
 * -EINVAL with the rule in msg. */
int tcfs_pe_body(json_t *tpl, const char *name, json_t *cluster,
		 json_t **body, char *msg, size_t msgsz);

#endif
