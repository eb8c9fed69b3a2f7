/*
 * tcfs.h — the core model of the tidbcloudfs filesystem (fs/).
 *
 * What this header holds
 * ----------------------
 * - The mount-wide context (options, organizations). It is filled once in
 *   main() before the FUSE loop starts and is READ-ONLY afterwards, except
 *   for fields that carry their own lock (struct tcfs_org.lock).
 * - The resource table types (fs/resources.c): one row per kind of node.
 *   The router (fs/path.c) walks the table; adding a resource family means
 *   adding rows and handlers, never touching the router.
 * - A parsed path (struct tcfs_node), produced in ONE place:
 *   tcfs_path_parse() (pure, resolver passed in) / tcfs_lookup() (live).
 * - Fetching through the cache (fs/fetch.c), a row's calls and cache keys
 *   (fs/calls.c), rendering (fs/render.c), the changes (fs/actions.c,
 *   fs/update.c) and collection templates (fs/template.c).
 *
 * Ownership (jansson conventions): functions returning json_t * or filling a
 * json_t ** return a NEW reference unless their name ends in _borrow. json_t
 * arguments are borrowed. Cached JSON is never mutated: copy before change.
 *
 * Errors: fs functions return 0 or -errno. API failures are mapped to errno
 * only through tc_error_errno() (include/tidbcloud.h).
 *
 * Lock ordering (whole fs/): every module lock is a LEAF lock. No module
 * calls into another module while holding its own lock, and no lock is ever
 * held across an API call (tc_*). The locks: tcfs_org.lock, the cache lock
 * (one per org), the overlay lock (one per org), the store lock, the scratch
 * lock, the kept children sets' lock (fs/children.c memo_lock: the table
 * and the sets' reference counts; tcfs_overlay_gen is read before it is
 * taken, never under it), and one lock per open handle. A handle lock may be held while
 * calling the scratch module (handle → scratch), never the reverse. The
 * only code run under the cache lock besides cache.c is a tcfs_cache_edit
 * callback, which is pure (jansson only; fetch.c edit_items).
 * Threads of fs/ besides FUSE's: tcfs_fetch_lists_raw (fetch.c) fetches a
 * collection's second and later source listings each in a short-lived
 * thread, joined before it returns; they hold no lock on entry and take
 * only the cache's (through tcfs_cache_fetch), the client's own.
 *
 * Borrowed pointers: the cache and the overlay hand out NEW references, so
 * a value stays valid while its holder keeps it, whatever the cache does
 * meanwhile. struct tcfs_children borrows from its own items arrays.
 */
#ifndef TCFS_H
#define TCFS_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>
#include <jansson.h>
#include "tidbcloud.h"

struct tcfs_cache;
struct tcfs_overlay;

/* Largest spec / template / scratch text accepted (EFBIG beyond). */
#define TCFS_MAX_TEXT      (1024 * 1024)
#define TCFS_MAX_SCRATCH   (16 * 1024 * 1024)
#define TCFS_MAX_IDS       4
#define TCFS_ID_MAX        128
#define TCFS_NAME_MAX      255
#define TCFS_KEY_MAX       512
/* Requests waiting for an answer per API host (more fail fast, EAGAIN),
 * and the FUSE worker threads (default of -o max_threads). */
#define TCFS_HOST_IN_FLIGHT 8
#define TCFS_MAX_THREADS    64

/* ---- mount-wide context ------------------------------------------------ */

struct tcfs_opts {
	char *connect_to;
	char *cacert;
	char *profile;
	char *config;
	char *default_region;     /* never NULL after option parsing */
	double cache_timeout;     /* seconds, default 2 */
	size_t cache_max_mb;      /* bound of each org's cache (cache.h) */
	int ro;
	int nodelete;
	int debug_api;
	int log_debug;            /* -o log_level=debug: one line per API call */
	double wait_timeout;      /* seconds a read of `wait` may block (1800) */
	double secret_ttl;        /* seconds an unread generated password is
	                             kept (600; store.h TCFS_SECRET_TTL) */
	double connect_timeout;   /* seconds; 0 = the library's (10) */
	double request_timeout;   /* seconds, one request; 0 = the library's (60) */
	int foreground;
	uid_t uid;
	gid_t gid;
	mode_t umask;             /* -o umask=: masked out of every mode */
	int umask_set;
	time_t mount_time;
};

struct tcfs_org {
	char name[TCFS_NAME_MAX + 1];     /* directory name */
	char profile[TCFS_NAME_MAX + 1];  /* profile name, "" for environment */
	tc_client *client;
	struct tcfs_cache *cache;
	struct tcfs_overlay *overlay;
	pthread_mutex_t lock;             /* guards org_id */
	char org_id[TCFS_ID_MAX];
};

struct tcfs_ctx {
	struct tcfs_opts opts;
	struct tcfs_org *orgs;
	size_t norgs;
};

/* The context; set once by main() (or a test) before any operation. */
extern struct tcfs_ctx *tcfs_g;

/* ---- the resource table (fs/resources.c, fs/family_*.c) ---------------
 *
 * One row per kind of node. The kinds are listed once, in families.h; each
 * family's rows live in fs/family_<name>.c. A row says where the kind sits
 * (parents), what files it shows, and which API calls (descriptors of
 * api/calls.c) serve it, with the node's ids that fill each descriptor's
 * "{}" (struct tcfs_call). Everything generic (fetch, resolve, content,
 * actions) reads rows only; no generic module names a family. */

#include "families.h"

#define TCFS_KIND_ENUM(K, row) TCFS_K_##K,
enum tcfs_kind {
	TCFS_KINDS(TCFS_KIND_ENUM)
	TCFS_K_COUNT
};
#undef TCFS_KIND_ENUM

enum tcfs_class {
	TCFS_C_STATIC = 0,     /* fixed directory (root, org, regions)        */
	TCFS_C_COLLECTION,     /* lists resources of one or more kinds        */
	TCFS_C_RESOURCE        /* one API object                              */
};

/* A call of a row: a descriptor (include/tidbcloud.h) and which of the
 * node's ids fill its "{}" slots, in order. The ids of a node are those of
 * the resources on its way down, outermost first: level 0 is the project,
 * 1 the cluster, 2 a backup... (for a call about a child of a collection,
 * the child's id is the next level). desc NULL: the row has no such call. */
struct tcfs_call {
	const tc_call_desc *desc;
	unsigned char levels[TC_CALL_MAX_IDS];
	unsigned char nlevels;
};
/* TCFS_CALL(tc_desc_x, 0, 1): the descriptor with ids of levels 0 and 1. */
#define TCFS_CALL(d, ...) { .desc = &(d), .levels = { __VA_ARGS__ }, \
	.nlevels = sizeof((unsigned char[]){ __VA_ARGS__ }) }
#define TCFS_CALL0(d) { .desc = &(d), .nlevels = 0 }
/* A level that is no id of the node: the row's `via_field` of the body
 * sent (a create; removed from it) or of the resource's object (its list
 * item will do) — e.g. the TiDB node group of a private endpoint. */
#define TCFS_LEVEL_VIA 0xFE

enum tcfs_ftype {
	TCFS_F_OBJECT = 0,     /* <kind>.json: the full object, pretty        */
	TCFS_F_SPEC,           /* spec.json: editable fields (read/write)     */
	TCFS_F_REJECTED,       /* spec.json.rejected (present after a refusal) */
	TCFS_F_ID,             /* id + "\n"                                   */
	TCFS_F_STATE,          /* the row's state_key + "\n"                  */
	TCFS_F_CTL,            /* verbs (read), commands (write)              */
	TCFS_F_ERROR,          /* .error: last error of this directory        */
	TCFS_F_TEMPLATE,       /* .template.json of a collection (read/write) */
	TCFS_F_ORGINFO,        /* organization.json                           */
	TCFS_F_LIST,           /* a cached list call rendered as JSON (regions) */
	TCFS_F_CALL,           /* a second JSON file of a resource: the answer
	                          of its own call (`call`, cached by its key) */
	TCFS_F_FIELD,          /* a field of the object (`field`, dotted): a
	                          string as one line, anything else as JSON   */
	TCFS_F_STREAM,         /* a large body read piece by piece: see
	                          struct tcfs_stream                          */
	TCFS_F_WAIT,           /* wait: blocks while in transition (waitfile.c) */
	TCFS_F_SECRET,         /* a secret the mount made (a generated password):
	                          in memory only, present until its first
	                          complete read, then ENOENT (store.h)       */
	TCFS_F_HOOK            /* a file of the family's own: `render` makes
	                          its text; with `commit` it is writable like
	                          spec.json (the text written is committed at
	                          close, rename onto it, vim, sed -i)        */
};

struct tcfs_node;
struct tcfs_org;

/* A file whose body is too large to render at open (an export's file):
 * st_size comes from the object or its listing item (`size` reads it; no
 * download), and each read(offset, size) calls `read`, which may fetch just
 * that range (an HTTP Range GET). Nothing of the body is cached. */
struct tcfs_stream {
	/* the size in bytes from the object (or list item); -1 unknown */
	long long (*size)(json_t *obj);
	/* read up to size bytes at off into buf; bytes read or -errno.
	 * obj is NULL: a read fetches nothing but its range */
	long (*read)(struct tcfs_org *org, const struct tcfs_node *n,
		     json_t *obj, char *buf, size_t size, long long off);
};

struct tcfs_file_desc {
	const char *name;
	enum tcfs_ftype type;
	mode_t mode;                   /* permission bits */
	struct tcfs_call call;         /* TCFS_F_LIST, TCFS_F_CALL */
	const char *field;             /* TCFS_F_FIELD */
	const struct tcfs_stream *stream;   /* TCFS_F_STREAM */
	/* TCFS_F_HOOK: the text of file node n (malloc'd), 0 / -errno */
	int (*render)(const struct tcfs_node *n, char **text, size_t *len,
		      time_t *mtime);
	/* TCFS_F_HOOK, NULL: read-only. The text written (at most
	 * TCFS_MAX_TEXT bytes; beyond: EFBIG, nothing sent) for the
	 * directory node dir: 0 / -errno (.error set by the hook) */
	int (*commit)(const struct tcfs_node *dir, const char *text, size_t len);
	/* TCFS_F_CALL: the body the call sends (a POST), or NULL; a call
	 * with a body is cached per resource (key + " #<id>"). With `field`
	 * the file shows that field of the answer (as TCFS_F_FIELD). A list
	 * descriptor is walked through all its pages (the items array). */
	json_t *(*call_body)(const struct tcfs_node *n);
	/* TCFS_F_CALL: the text of the answer (malloc'd, *len set; NULL on
	 * failure) instead of pretty JSON (a CSV made of it); NULL: JSON */
	char *(*format)(json_t *answer, size_t *len);
};
/* spec.json, .template.json and a TCFS_F_HOOK file with a commit. */
static inline int tcfs_file_editable(const struct tcfs_file_desc *f)
{
	return f && (f->type == TCFS_F_SPEC || f->type == TCFS_F_TEMPLATE ||
		     (f->type == TCFS_F_HOOK && f->commit));
}

/* What a verb does to the cache once the API said yes. */
enum tcfs_effect {
	TCFS_EFFECT_REFRESH_SELF = 0,  /* the answer (or a refetch) shows the
	                                  resource's new state             */
	TCFS_EFFECT_ANCESTOR,          /* and the ancestor collection `kind`
	                                  is listed again (a restore's new
	                                  cluster shows in clusters/ at once) */
	TCFS_EFFECT_CHILDREN           /* and the resource's child listings
	                                  are listed again                 */
};

/* A line of ctl: "restore NEW-NAME [TIMESTAMP]". */
struct tcfs_verb {
	const char *usage;             /* the verb, then its argument names;
	                                  [NAME] is optional               */
	struct tcfs_call call;
	/* the body from the arguments (NULL hook: no body); 0 or -EINVAL
	 * with the reason in msg (nothing is sent) */
	int (*body)(const struct tcfs_node *res, const char *const *args,
		    size_t nargs, json_t **body, char *msg, size_t msgsz);
	enum tcfs_effect effect;
	enum tcfs_kind ancestor;       /* TCFS_EFFECT_ANCESTOR: a collection */
};
#define TCFS_MAX_VERBS 8
#define TCFS_MAX_VERB_ARGS 4

/* How spec.json changes reach the API. */
enum tcfs_update_style {
	TCFS_UPDATE_NONE = 0,
	TCFS_UPDATE_MASK,      /* {"<wrapper>": {changed paths}, "updateMask":
	                          "a,b"}, the paths of mask_paths          */
	TCFS_UPDATE_FLAT       /* a flat body of the changed top-level fields */
};
struct tcfs_update {
	enum tcfs_update_style style;
	struct tcfs_call call;
	const char *wrapper;               /* MASK */
	const char *const *mask_paths;     /* MASK, NULL-terminated */
	int id_in_body;                    /* MASK: the wrapped object also
	                                      carries the row's id_key     */
	/* One boolean field changed by verbs of its own, alone (Dedicated
	 * `paused`: true → verb_on "pause", false → verb_off "resume"). */
	const char *verb_field, *verb_on, *verb_off;
};

/* mkdir in a collection. */
struct tcfs_create {
	/* the name's rules (validate.c); 0 or -EINVAL with msg */
	int (*check_name)(const char *name, char *msg, size_t msgsz);
	/* the default .template.json (malloc'd); NULL hook: no template */
	char *(*template_default)(const struct tcfs_node *coll);
	/* the create body from the template (NULL without one) and the
	 * name, and the source kind whose `create` call sends it; 0 or
	 * -errno with the reason in msg (nothing is sent) */
	int (*body)(json_t *tpl, const char *name, const struct tcfs_node *coll,
		    json_t **body, enum tcfs_kind *kind, char *msg, size_t msgsz);
	/* after a successful create call, before anything keeps its answer
	 * (out, changeable): e.g. a secret only this answer carries is taken
	 * out of it (into the store) so that no cache or file shows it; NULL:
	 * none */
	void (*answer)(const struct tcfs_node *coll, const char *name,
		       json_t *out);
	/* after the create call (r: 0 created, or -errno), or NULL: e.g. a
	 * secret the body builder made is kept or dropped */
	void (*done)(const struct tcfs_node *coll, const char *name, int r);
	/* a collection the create adds to as well, listed again after it
	 * (tcfs_node_ancestor of the collection: a restore's new cluster in
	 * the project's clusters/); TCFS_K_ROOT (unset): none */
	enum tcfs_kind relist;
};

/* A regular file created in a collection whose writes are consumed, not
 * kept (imports/: an upload to import). open/create → begin; each write
 * in order → write; the first flush (close) → finish, whose result
 * close(2) returns; release → end (an unfinished one is abandoned). The
 * state is the sink's own, and so is serializing the calls on it (FUSE may
 * run writes of one handle at once; no generic lock is held across the
 * sink's API calls). A name it does not accept is a scratch file. */
struct tcfs_sink {
	int (*accepts)(const struct tcfs_node *leaf);
	int (*begin)(const struct tcfs_node *leaf, void **state);
	long (*write)(void *state, const char *buf, size_t size, long long off);
	/* pid: the process closing the file (a killed writer's partial file
	 * is not imported) */
	int (*finish)(void *state, int pid);
	long long (*size)(void *state);
	void (*end)(void *state);
};

/* A source of a collection: the resources of `kind`, listed when the
 * collection sits under a resource of kind `under` (TCFS_K_ROOT: always). */
struct tcfs_source {
	enum tcfs_kind kind;
	enum tcfs_kind under;
};
#define TCFS_MAX_SOURCES 8
#define TCFS_MAX_PARENTS 4

struct tcfs_kind_desc {
	enum tcfs_kind kind;
	const char *label;             /* "cluster", "project" (messages)     */
	enum tcfs_class cls;
	/* the directory kinds it sits in (a resource: its collection) */
	enum tcfs_kind parents[TCFS_MAX_PARENTS];
	size_t nparents;
	const char *dir_name;          /* fixed name in the parent; NULL for resources */
	const struct tcfs_file_desc *files;
	size_t nfiles;
	int scratch_ok;                /* scratch files may be created here   */

	/* collections */
	struct tcfs_source sources[TCFS_MAX_SOURCES];
	size_t nsources;
	const struct tcfs_create *mkdir;    /* NULL = EPERM */

	/* resources */
	const char *id_key;            /* "id", "clusterId"                   */
	const char *name_key;          /* "name", "displayName", dotted for a
	                                  nested one ("cluster.name"); NULL:
	                                  by id                               */
	const char *state_key;         /* NULL when none                      */
	const char *mtime_keys[2];     /* RFC 3339 or unix-seconds strings    */
	const char *answer_key;        /* an answer may wrap the object under
	                                  this key ({"cluster": {...}})       */
	struct tcfs_call list;         /* ids: the collection's              */
	struct tcfs_call get;          /* ids: the resource's (last = own)   */
	struct tcfs_call create;       /* ids: the collection's              */
	struct tcfs_call remove;       /* ids: the resource's                */
	/* list_partial: an item of `list` holds only part of the object (the
	 * real serverless list leaves out automatedBackupPolicy, spendingLimit
	 * and usage), so a listing never fills the object cache; the object
	 * comes from `get`, or from `batch_get` (may be NULL) together with
	 * the not yet fetched siblings of its listing (fetch.c). */
	int list_partial;
	int (*batch_get)(tc_client *c, const char *const *ids, size_t n,
			 json_t **items, struct tc_error *err);
	/* a listing of its own in place of tc_call_list of `list` (NULL:
	 * none): e.g. the items of one call across every sibling
	 * collection, split by parent (family_private_endpoints.c), or
	 * items made without a request (billing months from the clock: the
	 * row's `list` descriptor then only names the cache key). 0 / -1
	 * with err, like tcfs_call_list */
	int (*list_fn)(struct tcfs_org *org, enum tcfs_kind kind,
		       const struct tcfs_node *coll, json_t **items,
		       struct tc_error *err);
	/* a list was fetched (items borrowed): e.g. the org id of projects */
	void (*on_list)(struct tcfs_org *org, json_t *items);
	/* fields an answer to `create` may lack (a new object), or NULL */
	json_t *(*create_defaults)(const char *name);
	const char *remove_refusal;    /* non-NULL: rmdir → EPERM with this text */
	/* rmdir of this resource refused before any request: -errno with
	 * the reason in msg (the API key the mount uses: EBUSY); NULL or 0:
	 * the delete is sent */
	int (*remove_check)(const struct tcfs_node *res, char *msg,
			    size_t msgsz);
	/* non-NULL: a resource of this kind is this one file, not a
	 * directory (an export's file: a TCFS_F_STREAM); its node is W_FILE
	 * with the resource's ids (path.c) */
	const struct tcfs_file_desc *as_file;
	/* the field that fills a TCFS_LEVEL_VIA slot of the row's calls, or
	 * via_of: that value computed from the list item (borrowed) */
	const char *via_field;
	const char *(*via_of)(json_t *item);
	/* spec.json may carry a secret (a password): a refused text is never
	 * kept in spec.json.rejected */
	int spec_secret;
	/* Every answer of the row's calls (list items; get, create, update
	 * and remove answers) passes here before anything keeps it, or NULL:
	 * an id the API object lacks is added (a Data App endpoint's, from
	 * its name), a secret is taken out into memory (a Data App key's
	 * privateKey). n: the node the call was made for (a create: the
	 * collection). */
	void (*normalize)(const struct tcfs_node *n, json_t *obj);

	/* spec.json: extraction, schema and how a change is applied */
	json_t *(*spec_from)(json_t *obj);         /* new reference or NULL */
	const char *spec_schema;                    /* JSON text (spec.h)    */
	/* the published constraints of changed fields (validate.c): 0 or
	 * -EINVAL with the rule in msg; cur may be NULL; NULL = none */
	int (*check)(json_t *spec, json_t *cur, char *msg, size_t msgsz);
	const struct tcfs_update *update;

	/* ctl */
	const struct tcfs_verb *verbs;
	size_t nverbs;

	/* collections: regular files created here are consumed (NULL: scratch) */
	const struct tcfs_sink *sink;
};

#define TCFS_ROW_DECL(K, row) extern const struct tcfs_kind_desc tcfs_row_##row;
TCFS_KINDS(TCFS_ROW_DECL)
#undef TCFS_ROW_DECL
#define TCFS_FILES(a) .files = (a), .nfiles = sizeof(a) / sizeof((a)[0])
#define TCFS_VERBS(a) .verbs = (a), .nverbs = sizeof(a) / sizeof((a)[0])
/* Verbs a family lends to another's row (sized, so TCFS_VERBS counts). */
extern const struct tcfs_verb tcfs_restore_backup_verbs[1];   /* restores */
extern const struct tcfs_verb tcfs_restore_cluster_verbs[1];  /* restores */

/* The row of a kind (never NULL for a valid kind). */
const struct tcfs_kind_desc *tcfs_kind(enum tcfs_kind kind);
/* A fixed file of a directory kind by name, or NULL. */
const struct tcfs_file_desc *tcfs_kind_file(enum tcfs_kind kind,
					    const char *name);
/* The fixed subdirectories (static or collection kinds) of a directory of
 * kind `dir`: up to max kinds into out, their count. The one scan. */
size_t tcfs_kind_subdirs(enum tcfs_kind dir, enum tcfs_kind *out, size_t max);
/* The fixed subdirectory of `dir` called `name`, or -1. */
int tcfs_kind_subdir(enum tcfs_kind dir, const char *name);
/* The verb row of `line`'s first word, or NULL. */
const struct tcfs_verb *tcfs_kind_verb(enum tcfs_kind kind, const char *line);
/* The usage texts of a kind's verbs, NULL-terminated, into out (size
 * TCFS_MAX_VERBS + 1). */
void tcfs_kind_verb_usages(enum tcfs_kind kind, const char **out);

/* ---- a parsed path (fs/path.c) ------------------------------------------ */

enum tcfs_what {
	TCFS_W_DIR = 0,    /* the node is the directory `kind`                 */
	TCFS_W_FILE,       /* a fixed file `file` inside directory `kind`      */
	TCFS_W_LEAF        /* a name `leaf` inside directory `kind` that is not
	                      a fixed entry nor an existing resource           */
};

struct tcfs_node {
	int org;                       /* index in tcfs_g->orgs; -1 at root   */
	enum tcfs_kind kind;           /* the directory (or the file's dir)   */
	int nids;                      /* resource ids on the way down        */
	char ids[TCFS_MAX_IDS][TCFS_ID_MAX];
	enum tcfs_kind kinds[TCFS_MAX_IDS];   /* the kind of each ids[] level */
	enum tcfs_what what;
	const struct tcfs_file_desc *file;
	char leaf[TCFS_NAME_MAX + 1];
	time_t mtime;                  /* of the deepest resource, 0 unknown  */
};

/* How tcfs_path_parse() looks names up. */
struct tcfs_resolver {
	void *arg;
	/* index of the organization named `name`, or -1 */
	int (*org)(void *arg, const char *name);
	/* A child `name` of collection `coll`: 0 and *kind, id, *mtime set;
	 * -ENOENT when absent; another -errno on failure. */
	int (*child)(void *arg, const struct tcfs_node *coll, const char *name,
		     enum tcfs_kind *kind, char *id, size_t idsz, time_t *mtime);
};

/* Parse an absolute path. 0, -ENOENT, -ENOTDIR, -ENAMETOOLONG or the
 * resolver's error. Pure apart from the resolver. */
int tcfs_path_parse(const char *path, const struct tcfs_resolver *r,
		    struct tcfs_node *out);
/* The id of the resource a node is in (ids[nids-1]), or NULL. */
const char *tcfs_node_id(const struct tcfs_node *n);
/* A stable key for the directory a node is (W_DIR) or is in:
 * "org|kind|id|id". Same for name and id aliases. */
void tcfs_node_dirkey(const struct tcfs_node *n, char *buf, size_t size);
/* The kind of the resource the node is in (kinds[nids-1]); ROOT if none. */
enum tcfs_kind tcfs_node_owner(const struct tcfs_node *n);
/* The node of the directory containing a file/leaf node (what = W_DIR). */
void tcfs_node_dir(const struct tcfs_node *n, struct tcfs_node *dir);
/* The collection a resource node sits in. */
void tcfs_node_parent_coll(const struct tcfs_node *res, struct tcfs_node *coll);
/* The node of the collection `kind` that `n` is in or under (an ancestor,
 * e.g. the clusters/ of a backup's project). 0, or -ENOENT when none. */
int tcfs_node_ancestor(const struct tcfs_node *n, enum tcfs_kind kind,
		       struct tcfs_node *coll);

/* ---- name resolution vs content freshness (fs/resolve.c, fs/fetch.c) ----
 *
 * CONTENT (the files of a resource, getattr sizes, spec diffs) is always
 * fresh within cache_timeout through the OBJECT's cache key: an expired
 * object is fetched alone with its row's `get` (1 request), not by listing
 * its collection again — unless its siblings are being read too: once the
 * GETs within one cache_timeout reach the listing's page count, the
 * listing is fetched instead (fetch.c relist_is_cheaper). The answer also
 * replaces the object's item in the cached listing (kept coherent for ls;
 * a 404 removes the item).
 *
 * NAMES (resolving a path component: a project or cluster directory, by
 * name or id alias) may use a cached listing that has EXPIRED, as long as
 * it was fetched less than tcfs_resolve_max_age() ago:
 *   - found in a listing fresh within cache_timeout: resolved (as ls sees).
 *   - found in an expired listing, the row has a `get` (clusters): the
 *     object is fetched fresh (the same GET the content needs; 0 requests
 *     when it is fresh already), which updates the item in the listing, and
 *     the name must still be found there for the same id. So a rename or a
 *     delete made behind the mount's back shows at the first access.
 *   - found in an expired listing, the row has no `get` (projects): used
 *     as is (a name is at most tcfs_resolve_max_age() old).
 *   - not found, or no longer found after the GET, and some listing used
 *     was expired: the listings are fetched (something new may be there).
 * readdir always uses listings fresh within cache_timeout.
 */
#define TCFS_RESOLVE_MIN_AGE   60.0   /* seconds */
#define TCFS_RESOLVE_FACTOR    10.0   /* times cache_timeout */

/* The oldest a listing may be for name resolution:
 * max(TCFS_RESOLVE_MIN_AGE, TCFS_RESOLVE_FACTOR * cache_timeout); 0 when
 * cache_timeout is 0 (no caching asked for: every name is looked up). */
static inline double tcfs_resolve_max_age(double cache_timeout)
{
	double f = TCFS_RESOLVE_FACTOR * cache_timeout;

	if (cache_timeout <= 0)
		return 0;
	return f > TCFS_RESOLVE_MIN_AGE ? f : TCFS_RESOLVE_MIN_AGE;
}

/* ---- fetching (fs/fetch.c) ---------------------------------------------- */

/* Parse `path` against the live tree (fs/resolve.c; the rule above). */
int tcfs_lookup(const char *path, struct tcfs_node *out);
struct tcfs_org *tcfs_org_of(const struct tcfs_node *n);

/* The items of one source kind of a collection (cache, overlay applied,
 * tombstones hidden). New array. 0 / -errno (err filled). */
int tcfs_fetch_list(struct tcfs_org *org, enum tcfs_kind src,
		    const struct tcfs_node *coll, json_t **items,
		    struct tc_error *err);
/* The object of resource node `res` (a resource directory or a file in
 * it: kind and ids[nids-1]), fresh within cache_timeout. Expired: a row
 * with `get` fetches it alone (1 request; or its listing, when that is
 * cheaper, see above) and refreshes (or, on 404, removes) its item in the
 * cached listing of its collection; a row without
 * (projects) serves it from its listing, fetched when expired. New
 * reference. 0 / -errno (-ENOENT when gone). */
int tcfs_fetch_object(struct tcfs_org *org, const struct tcfs_node *res,
		      json_t **obj, struct tc_error *err);
/* The same for files that need only what a list item holds (state): a
 * listing fresh within cache_timeout that holds the item answers with no
 * request, even when its items are partial; otherwise tcfs_fetch_object. */
int tcfs_fetch_object_brief(struct tcfs_org *org, const struct tcfs_node *res,
			    json_t **obj, struct tc_error *err);
/* Most ids one batch_get asks for: the requested object plus its siblings
 * of the same listing not yet fetched, so N objects read one after the
 * other cost ceil(N / TCFS_BATCH_MAX) requests. */
#define TCFS_BATCH_MAX 100
/* ... and whose query of ids stays under this many bytes (escaped). */
#define TCFS_BATCH_URL_BUDGET 6000
/* Pure: the ids of one batch for `id` (always first) — the items of
 * `items` after it in listing order, wrapping around, for which want(arg,
 * id) is non-zero; at most `max`. Pointers borrowed from items (and id).
 * Returns the count written to out (1 when no sibling is wanted). */
size_t tcfs_batch_pick(json_t *items, const char *id_key, const char *id,
		       int (*want)(void *arg, const char *id), void *arg,
		       const char **out, size_t max);
/* The answer of a resource's own call (a second JSON file, TCFS_F_CALL)
 * with the ids of node n, through the cache (its key: tcfs_call_key). */
int tcfs_fetch_call(struct tcfs_org *org, const struct tcfs_node *n,
		    const struct tcfs_call *call, json_t **out,
		    struct tc_error *err);
/* A cached list that is not a collection (regions). */
int tcfs_fetch_file_list(struct tcfs_org *org, const struct tcfs_file_desc *f,
			 json_t **items, struct tc_error *err);

/* The children of a collection with their names (naming rules applied),
 * fs/children.c: built once per listing generation and shared (read-only)
 * by every caller until the listings or the overlay change. */
struct tcfs_childset;
struct tcfs_child {
	enum tcfs_kind kind;
	unsigned src;            /* its source: index into items[] / stale[] */
	const char *id;          /* borrowed from items */
	const char *name;        /* the listed name (display name or id) */
	json_t *item;            /* borrowed from items */
};
struct tcfs_children {
	json_t *items[TCFS_MAX_SOURCES];   /* owned: one array per source */
	int stale[TCFS_MAX_SOURCES];       /* that source's listing expired */
	size_t nsources;
	const struct tcfs_child *v;        /* borrowed from set */
	size_t n;
	struct tcfs_childset *set;              /* owned (a reference) */
};
/* Listings fresh within cache_timeout (fetched when expired): readdir. */
int tcfs_fetch_children(struct tcfs_org *org, const struct tcfs_node *coll,
			struct tcfs_children *out, struct tc_error *err);
/* The same, but a source whose cached listing expired less than max_age
 * seconds ago is used as it is (stale[] says so, by the child's src); only
 * a source with no such listing is fetched. Name resolution. */
int tcfs_fetch_children_aged(struct tcfs_org *org, const struct tcfs_node *coll,
			     double max_age, struct tcfs_children *out,
			     struct tc_error *err);
void tcfs_children_release(struct tcfs_children *c);
/* The child called `name`: a listed name first, then an id alias (two
 * hash probes). NULL when none. */
const struct tcfs_child *tcfs_children_find(const struct tcfs_children *ch,
					    const char *name);
/* Drop every kept set (at exit; a flush needs none: a set is only used
 * with the very listings it was built from). */
void tcfs_children_forget_all(void);
/* The cached listings (no overlay) of the sources src[0..nsrc) of coll,
 * aged as tcfs_fetch_children_aged says; the ones to fetch are fetched in
 * parallel. raw[] NEW references, stale[] set. 0 or -errno (raw[] then
 * all NULL). */
int tcfs_fetch_lists_raw(struct tcfs_org *org, const struct tcfs_node *coll,
			 const enum tcfs_kind *src, size_t nsrc,
			 double max_age, json_t **raw, int *stale,
			 struct tc_error *err);

/* The source kinds of collection `coll` that apply where it sits (the kind
 * of its parent resource), up to TCFS_MAX_SOURCES into out; their count. */
size_t tcfs_coll_sources(const struct tcfs_node *coll, enum tcfs_kind *out);

/* Keep a cached list current after a change the API answered with the
 * new object (obj borrowed): the item with this id is replaced in place
 * (and in a pending create of the overlay), the list keeps its age and
 * expiry (an expired list is edited too: it still resolves names). Only a
 * key that holds no list is invalidated (the next read fetches it). */
void tcfs_list_update_item(struct tcfs_org *org, enum tcfs_kind kind,
			   const struct tcfs_node *coll, const char *id,
			   json_t *obj);
/* The same after a delete: the item leaves the cached list. */
void tcfs_list_remove_item(struct tcfs_org *org, enum tcfs_kind kind,
			   const struct tcfs_node *coll, const char *id);
/* Every cached listing of the collections under resource `res` (its
 * fixed subdirectories) is dropped: after a delete, or a verb. */
void tcfs_invalidate_children(struct tcfs_org *org, const struct tcfs_node *res);
/* Every cached listing of collection `coll` is dropped (listed again). */
void tcfs_invalidate_collection(struct tcfs_org *org,
				const struct tcfs_node *coll);

/* ---- a row's calls (fs/calls.c) -----------------------------------------
 * The ids of a call come from a node: all of `n`'s ids, then `id` when not
 * NULL (a child of the collection n). */

/* The cache key of a call: tc_call_key (family + fully expanded path), so
 * children of different parents never collide. "" when it cannot be made
 * (a level the node does not have). */
void tcfs_call_key(const struct tcfs_call *call, const struct tcfs_node *n,
		   const char *id, char *buf, size_t size);
int tcfs_call_one(struct tcfs_org *org, const struct tcfs_call *call,
		  const struct tcfs_node *n, const char *id, json_t *body,
		  json_t **out, struct tc_error *err);
int tcfs_call_list(struct tcfs_org *org, const struct tcfs_call *call,
		   const struct tcfs_node *n, json_t **items,
		   struct tc_error *err);
/* Cache keys of a resource of `kind` with id `id` in collection `coll` (its
 * get call's key; a row without one: the list key + "#" + id) and of the
 * list of `src` in `coll`. */
void tcfs_obj_key(enum tcfs_kind kind, const struct tcfs_node *coll,
		  const char *id, char *buf, size_t size);
void tcfs_list_key(enum tcfs_kind src, const struct tcfs_node *coll,
		   char *buf, size_t size);

/* ---- rendering (fs/render.c) -------------------------------------------- */

/* Pretty JSON (two-space indent, key order kept) plus "\n". malloc'd. */
char *tcfs_render_json(json_t *v, size_t *len);
/* A string field of an object, borrowed; NULL when obj is no object or the
 * field is absent or not a string (an id that is a number is no id). */
const char *tcfs_json_str_borrow(json_t *obj, const char *key);
/* RFC 3339 or unix-seconds text → time_t; 0 when unparsable. */
time_t tcfs_parse_time(const char *s);
/* The mtime of an object by the row's mtime_keys; 0 when none. */
time_t tcfs_object_mtime(enum tcfs_kind kind, json_t *obj);
/* Copy obj[key] into out[key] when present (spec extractors). */
void tcfs_json_copy_field(json_t *out, json_t *obj, const char *key);

/* A TCFS_F_STREAM file (fs/stream.c): its size from the object or list
 * item (no download) and a read of one range through the row's callback.
 * 0 / bytes read, or -errno. */
int tcfs_stream_size(const struct tcfs_node *n, long long *size,
		     time_t *mtime);
long tcfs_stream_read(const struct tcfs_node *n, char *buf, size_t size,
		      long long off);

/* Produce the text of a fixed file (fetching as needed); a stream has none
 * (-EFBIG: use tcfs_stream_*). *text malloc'd. */
int tcfs_content(const struct tcfs_node *n, char **text, size_t *len,
		 time_t *mtime);

/* ---- changes (fs/actions.c, fs/update.c) ------------------------------- */

/* Commit spec text to resource `res` (a W_DIR resource node). 0 / -errno;
 * .error, spec.json.rejected and the log are updated. */
int tcfs_commit_spec(const struct tcfs_node *res, const char *text, size_t len);
int tcfs_do_mkdir(const struct tcfs_node *coll, const char *name);
/* Commit the text written to an editable file f (tcfs_file_editable) of
 * directory dir: spec.json, .template.json or a hook's commit. */
int tcfs_commit_file(const struct tcfs_node *dir,
		     const struct tcfs_file_desc *f, const char *text,
		     size_t len);
int tcfs_do_rmdir(const struct tcfs_node *res);
/* One ctl line ("verb arg..."), already checked by tcfs_ctl_text_valid. */
int tcfs_do_ctl(const struct tcfs_node *res, const char *line);
/* Apply a checked spec change by the row's update style (update.c). */
int tcfs_apply_update(struct tcfs_org *org, const struct tcfs_node *res,
		      json_t *cur, json_t *next, char *msg, size_t msgsz);
/* Make the cache show a changed resource from the API's answer `out`
 * (borrowed): the object, or the object under the row's answer_key;
 * anything else invalidates it (refetched at the next read). */
void tcfs_after_change(struct tcfs_org *org, const struct tcfs_node *res,
		       json_t *out);
/* The end of an update call: failure → .error and errno; success → log
 * `what` and tcfs_after_change. out borrowed. */
int tcfs_finish_update(struct tcfs_org *org, const struct tcfs_node *res,
		       const char *what, int r, json_t *out,
		       const struct tc_error *err);
/* fs/verify.c: after an update that failed with r, when the API may have
 * acted anyway (-EHOSTUNREACH, -ETIMEDOUT, -EIO: the answer was lost),
 * read the object again and tell in .error whether the change was applied
 * (then 0), not applied, or whether that is unknown (then r). Any other r
 * is returned as is. cur/next: the specs before and as written. */
int tcfs_update_outcome_unknown(int r);
int tcfs_verify_update(struct tcfs_org *org, const struct tcfs_node *res,
		       json_t *cur, json_t *next, int r);

/* ---- templates (fs/template.c) ------------------------------------------ */

/* Store a collection's template after validating it. */
int tcfs_commit_template(const struct tcfs_node *coll, const char *text,
			 size_t len);
/* The template text (the row's default when never written). malloc'd;
 * NULL when the collection has no template. */
char *tcfs_template_text(const struct tcfs_node *coll, size_t *len,
			 time_t *mtime);

/* ---- family hooks the unit tests call (fs/family_clusters.c) ------------ */
json_t *tcfs_spec_serverless(json_t *obj);
json_t *tcfs_spec_dedicated(json_t *obj);
extern const char *const tcfs_sls_mask_paths[];
/* Builds the create body of a cluster from a template (pure). On failure
 * returns -EINVAL and writes the reason into msg. *family is SERVERLESS or
 * DEDICATED. */
int tcfs_template_body(json_t *tpl, const char *name, const char *project_id,
		       json_t **body, enum tc_family *family,
		       char *msg, size_t msgsz);
/* The default template text for a project's clusters (malloc'd). */
char *tcfs_template_default(const char *project_id, const char *region);

#endif /* TCFS_H */
