/*
 * routes_dataapps_int.h — what the two route files of the Data Service
 * share: routes_dataapps.c (apps, endpoints, the seed) and
 * routes_dataapp_parts.c (an app's API keys, data sources, deployments).
 * Private to them; called with the model lock held, like every handler.
 */
#ifndef EMU_ROUTES_DATAAPPS_INT_H
#define EMU_ROUTES_DATAAPPS_INT_H

#include <stddef.h>

#include "emu.h"
#include "family.h"
#include "model.h"
#include "store.h"

/* The object store kinds; the children have the app's id as parent. */
#define K_APP "data-app"
#define K_EP  "data-app-endpoint"
#define K_KEY "data-app-key"
#define K_DS  "data-app-source"
#define K_DEP "data-app-deployment"

/* A 400 INVALID_ARGUMENT with msg. */
static inline void bad(const struct emu_request *rq, struct emu_response *rs,
		       const char *msg)
{
	emu_error(rs, rq->family, 400, EMU_RPC_INVALID_ARGUMENT, "%s", msg);
}

/* obj.updatedAt = now. */
static inline void touch(json_t *obj)
{
	char now[32];

	emu_now_rfc3339(now);
	json_object_set_new(obj, "updatedAt", json_string(now));
}

/* ---- routes_dataapps.c ---- */

/* The app {ids[0]}, or NULL with a 404. */
struct emu_object *emu_da_find_app(const struct emu_request *rq,
				   struct emu_response *rs);
/* The app's child {ids[1]} of this kind, or NULL with a 404 ("<what> <id>
 * not found", or the app's). */
struct emu_object *emu_da_find_child(const struct emu_request *rq,
				     struct emu_response *rs, const char *kind,
				     const char *what);
/* GET of that child: its object, or the 404. */
void emu_da_get_child(const struct emu_request *rq, struct emu_response *rs,
		      const char *kind, const char *what);
/* GET /dataApps/{a}/<key>: a page of the app's children of this kind,
 * without totalSize; a 404 when there is no such app. */
void emu_da_list_children(const struct emu_request *rq,
			  struct emu_response *rs, const char *kind,
			  const char *key);
/* The store id of a listed child: its id_key field, or (id_key NULL) the
 * last segment of its name (endpoints). */
const char *emu_da_child_id(json_t *it, const char *id_key);

/* ---- routes_dataapp_parts.c ---- */

/* The cluster of the app's project with this id, or NULL with a 400. */
struct emu_cluster *emu_da_project_cluster(const struct emu_request *rq,
					   struct emu_response *rs,
					   const char *project, const char *id);
/* Link cluster c to app: its data source and an entry of clusterIds
 * (created NULL: now). */
struct emu_object *emu_da_link_cluster(struct emu_object *app,
				       const struct emu_cluster *c,
				       const char *created);
/* The seed's apiKeys[] and deployments[] of data_apps[i] (a), whose app
 * is stored. 0, or -1 with a message in err. */
int emu_dataapp_seed_parts(struct emu_object *app, json_t *a, size_t i,
			   char *err, size_t errlen);

#endif
