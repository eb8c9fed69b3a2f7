/*
 * model.h — the one data model behind every API family.
 *
 * Projects and clusters of one organization. A cluster is stored as the API
 * object its own family returns (the serverless v1beta1 Cluster for Starter
 * and Essential, the dedicated v1beta1 Cluster for Dedicated), so that a GET
 * is a copy of the stored object. Invariants:
 *   - obj never contains "rootPassword";
 *   - obj["labels"]["tidb.cloud/project"] is the id of an existing project
 *     (this label is the cluster's project, for every family);
 *   - obj["state"] is the current state; a cluster in a transitional state
 *     has deadline_ms > 0 and goes to next_state (or disappears when
 *     next_state is "") once emu_model_advance() runs after the deadline;
 *   - clusters and projects keep their insertion order (seed order, then
 *     creation order), which is the order every list returns.
 * Every function here requires emu_model_lock() to be held, except
 * emu_model_load/emu_model_free (called before/after the server runs) and
 * the pure lookups of the region table.
 */
#ifndef EMU_MODEL_H
#define EMU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

enum emu_kind { EMU_KIND_STARTER, EMU_KIND_ESSENTIAL, EMU_KIND_DEDICATED };

struct emu_project {
	char id[32];
	char *name;
	char create_ts[24];        /* Unix seconds, as a string (v1beta) */
	bool aws_cmek_enabled;
	char type[24];             /* "dedicated" | "tidbx" | ... */
	long user_count;           /* v1beta user_count (seed "user_count") */
};

struct emu_cluster {
	char id[32];
	enum emu_kind kind;
	json_t *obj;               /* the API object (see above) */
	int64_t deadline_ms;       /* 0: not in a transition */
	char next_state[16];       /* "" with deadline_ms > 0: removed */
};

/* A region known to the emulator. */
struct emu_region {
	const char *id;            /* "aws-us-east-1" */
	const char *cloud;         /* "aws" | "gcp" */
	const char *display;       /* "N. Virginia (us-east-1)" */
	bool serverless, dedicated;
};
extern const struct emu_region emu_regions[];   /* ends with id == NULL */
const struct emu_region *emu_region_find(const char *id);

void emu_model_lock(void);
void emu_model_unlock(void);

/* Load the seed (NULL: the built-in default). 0 on success, else -1 with a
 * message in err. */
int emu_model_load(const char *seed_file, char *err, size_t errlen);
void emu_model_free(void);

/* Apply every transition whose deadline has passed. */
void emu_model_advance(void);

const char *emu_model_org_id(void);

size_t emu_model_project_count(void);
struct emu_project *emu_model_project_at(size_t i);
struct emu_project *emu_model_project_find(const char *id);
/* New project with a fresh id; never NULL (aborts on OOM). */
struct emu_project *emu_model_project_add(const char *name, bool cmek,
					  const char *type);
/* Clusters (all kinds) whose project is id. */
size_t emu_model_project_cluster_count(const char *id);

size_t emu_model_cluster_count(void);
struct emu_cluster *emu_model_cluster_at(size_t i);
/* Cluster by id; dedicated selects Dedicated (true) or Starter/Essential
 * (false). NULL when absent or of the other family. */
struct emu_cluster *emu_model_cluster_find(const char *id, bool dedicated);
/* Add a cluster; steals obj. */
struct emu_cluster *emu_model_cluster_add(enum emu_kind kind, json_t *obj);
/* A fresh cluster id (decimal, unused). */
void emu_model_new_cluster_id(char out[32]);

const char *emu_cluster_project(const struct emu_cluster *c);
const char *emu_cluster_state(const struct emu_cluster *c);
/* Set state now (cancels a pending transition). */
void emu_cluster_set_state(struct emu_cluster *c, const char *state);
/* Enter transitional state now, reach final (NULL: removal) after
 * --transition-ms. */
void emu_cluster_transition(struct emu_cluster *c, const char *transitional,
			    const char *final);
/* updateTime = now. */
void emu_cluster_touch(struct emu_cluster *c);

/* Generated API objects (objects.c). state, times and labels included. */
json_t *emu_object_serverless(enum emu_kind kind, const char *id,
			      const char *display_name, const char *project_id,
			      const struct emu_region *region, const char *state,
			      time_t created);
json_t *emu_object_dedicated(const char *id, const char *display_name,
			     const char *project_id,
			     const struct emu_region *region, const char *state,
			     time_t created);
/* The serverless Region object for r. */
json_t *emu_object_region(const struct emu_region *r, bool serverless);
/* "8 vCPU, 32 GiB" for node spec key "8C32G" (the region's node spec
 * display name; an unknown shape is copied). */
void emu_node_spec_display(const char *key, char *out, size_t size);
/* Move the TiDB node groups' states on a cluster state change: pause,
 * resume and creation move every group, ACTIVE ends their transitions,
 * other states leave them alone. */
void emu_object_dedicated_sync_groups(json_t *obj);

#endif
