/*
 * upload.c — `cp data.csv clusters/<c>/imports/` on a Starter/Essential
 * cluster: the created file is not kept, it is uploaded and imported
 * (the serverless local upload flow of import.swagger.json).
 *
 * The size is unknown when the file is created, and startUpload wants the
 * part count, so the first TCFS_UPLOAD_PART bytes are held in memory:
 *   - the file closes before a part is full: startUpload for 1 part;
 *   - the first part fills: startUpload for TCFS_UPLOAD_MAX_PARTS presigned
 *     URLs (the count is an upper bound: completeUpload lists the parts
 *     really sent), and every full part is PUT to its URL as it fills.
 * So one open upload holds at most one part in memory, never the file.
 * A part is PUT (tc_put_url: the storage host, no digest, the same CA and
 * connect_to) up to TCFS_UPLOAD_TRIES times. close(2): the last part,
 * completeUpload [{partNumber, etag}], then the LOCAL import into
 * DB.TABLE from the file name (or .template.json's source.local). Any
 * failure cancels the upload (cancelUpload), says why in imports/.error
 * and fails the write or the close (cp exits non-zero). A writer killed by
 * a signal (its partial file) is cancelled, never imported. An empty file
 * makes close(2) fail with no request (the file stays open: a shell's
 * `> file` closes a first descriptor before anything is written).
 *
 * At most TCFS_UPLOAD_MAX_OPEN uploads are open at once (EBUSY beyond),
 * so the memory they hold stays bounded.
 *
 * Locking: each upload has its own mutex, held across its API calls: it
 * only serializes the writes and the close of one file (which FUSE may
 * run on several threads); no other lock is held meanwhile.
 */
#include "tcfs.h"
#include "imports.h"
#include "log.h"
#include "store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

#define TCFS_UPLOAD_PART      (8u * 1024 * 1024)
#define TCFS_UPLOAD_MAX_PARTS 1000
#define TCFS_UPLOAD_TRIES     3
/* Uploads open at once (each may hold one part in memory). */
#define TCFS_UPLOAD_MAX_OPEN  8

static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static int open_count;

struct upload {
	pthread_mutex_t lock;
	struct tcfs_node coll;        /* imports/ */
	struct tcfs_org *org;
	char file[TCFS_NAME_MAX + 1];
	char db[65], table[65];
	const char *file_type;
	json_t *tpl;                  /* .template.json at open, or NULL */
	char *buf;                    /* the part being filled */
	size_t len;
	long long total;              /* bytes written */
	long part;                    /* number of the part in buf (1-based) */
	long nurls;
	char upload_id[128];          /* "" before startUpload */
	json_t *urls;                 /* presigned PUT URLs */
	json_t *parts;                /* [{partNumber, etag}] sent */
	int failed;                   /* -errno: failed and cancelled */
	int finished;
	int result;                   /* of the close */
};

static void bad_answer(struct tc_error *err, const char *text)
{
	tc_error_clear(err);
	err->kind = TC_E_BAD_RESPONSE;
	snprintf(err->message, sizeof(err->message), "%s", text);
}

static const char *cluster_id(const struct upload *u)
{
	return u->coll.nids >= 2 ? u->coll.ids[1] : "";
}

static int accepts(const struct tcfs_node *leaf)
{
	const char *ext = strrchr(leaf->leaf, '.');

	return leaf->leaf[0] != '.' && ext &&
	       (strcasecmp(ext, ".csv") == 0 || strcasecmp(ext, ".sql") == 0 ||
		strcasecmp(ext, ".parquet") == 0);
}

static void release_slot(void)
{
	pthread_mutex_lock(&open_lock);
	open_count--;
	pthread_mutex_unlock(&open_lock);
}

static json_t *load_template(const struct tcfs_node *coll)
{
	size_t len = 0;
	char *text = tcfs_template_text(coll, &len, NULL);
	json_t *t = text ? json_loadb(text, len, 0, NULL) : NULL;

	free(text);
	return t;
}

static int begin(const struct tcfs_node *leaf, void **state)
{
	struct upload *u;
	struct tcfs_node coll;
	char msg[300];

	*state = NULL;
	tcfs_node_dir(leaf, &coll);
	if (tcfs_node_owner(&coll) != TCFS_K_SLS_CLUSTER) {
		tcfs_error_set(&coll, "cp %s refused: a Dedicated cluster imports "
			       "from cloud storage only (mkdir with "
			       ".template.json)", leaf->leaf);
		return -EPERM;
	}
	pthread_mutex_lock(&open_lock);
	if (open_count >= TCFS_UPLOAD_MAX_OPEN) {
		pthread_mutex_unlock(&open_lock);
		tcfs_error_set(&coll, "cp %s refused (nothing was sent): %d "
			       "uploads are open already (each holds up to %u "
			       "MiB); try again when one is closed", leaf->leaf,
			       TCFS_UPLOAD_MAX_OPEN, TCFS_UPLOAD_PART >> 20);
		return -EBUSY;
	}
	open_count++;
	pthread_mutex_unlock(&open_lock);
	if (!(u = calloc(1, sizeof(*u)))) {
		release_slot();
		return -ENOMEM;
	}
	pthread_mutex_init(&u->lock, NULL);
	u->coll = coll;
	u->org = tcfs_org_of(&coll);
	snprintf(u->file, sizeof(u->file), "%s", leaf->leaf);
	u->tpl = load_template(&coll);
	u->part = 1;
	if (!u->org || tcfs_upload_target(u->file, u->tpl, u->db, sizeof(u->db),
					  u->table, sizeof(u->table),
					  &u->file_type, msg, sizeof(msg)) != 0) {
		tcfs_error_set(&coll, "cp %s refused (nothing was sent): %s",
			       u->file, u->org ? msg : "no organization");
		json_decref(u->tpl);
		pthread_mutex_destroy(&u->lock);
		free(u);
		release_slot();
		return -EINVAL;
	}
	*state = u;
	return 0;
}

struct cancel_job {
	tc_client *client;
	char cluster[TCFS_ID_MAX], upload_id[128], file[TCFS_NAME_MAX + 1];
};

static void *cancel_run(void *arg)
{
	struct cancel_job *j = arg;
	const char *ids[2] = { j->cluster, j->upload_id };
	struct tc_error err;
	char line[600];

	tc_error_clear(&err);
	if (tc_call(j->client, &tc_desc_serverless_import_cancel_upload, ids, 2,
		    NULL, NULL, &err) != 0) {
		tc_error_format(&err, line, sizeof(line));
		tcfs_log(LOG_WARNING, "cancelling upload %s of %s: %s",
			 j->upload_id, j->file, line);
	}
	free(j);
	return NULL;
}

/* cancelUpload after a failure (best effort: the reason is already in
 * .error, a failed cancel is only logged). It runs on a thread of its
 * own and is waited for: outside the FUSE request, so that the
 * interrupt that may have caused the failure (Ctrl-C, a killed cp) does
 * not stop the cancel too. */
static void cancel(struct upload *u)
{
	struct cancel_job *j;
	pthread_t t;

	if (!u->upload_id[0])
		return;
	if ((j = calloc(1, sizeof(*j)))) {
		j->client = u->org->client;
		snprintf(j->cluster, sizeof(j->cluster), "%s", cluster_id(u));
		snprintf(j->upload_id, sizeof(j->upload_id), "%s", u->upload_id);
		snprintf(j->file, sizeof(j->file), "%s", u->file);
		if (pthread_create(&t, NULL, cancel_run, j) == 0)
			pthread_join(t, NULL);
		else
			cancel_run(j);
	}
	u->upload_id[0] = '\0';
}

/* Record a failure: .error, the upload cancelled; the -errno to return. */
static int fail_api(struct upload *u, const char *what,
		    const struct tc_error *err)
{
	char line[600];
	int e = tc_error_errno(err, 0);

	tc_error_format(err, line, sizeof(line));
	cancel(u);
	tcfs_error_set(&u->coll, "cp %s: %s failed, the upload was cancelled "
		       "and nothing imported: %s", u->file, what, line);
	u->failed = -(e ? e : EIO);
	return u->failed;
}

static int start(struct upload *u, long nparts)
{
	char n[16];
	const char *ids[5] = { cluster_id(u), u->file, n, u->db, u->table };
	struct tc_error err;
	json_t *out = NULL, *urls;
	const char *id;

	snprintf(n, sizeof(n), "%ld", nparts);
	tc_error_clear(&err);
	if (tc_call(u->org->client, &tc_desc_serverless_import_start_upload,
		    ids, 5, NULL, &out, &err) != 0)
		return fail_api(u, "startUpload", &err);
	id = tcfs_json_str_borrow(out, "uploadId");
	urls = json_object_get(out, "uploadUrl");
	if (!id || !*id || strlen(id) >= sizeof(u->upload_id) ||
	    !json_is_array(urls) || json_array_size(urls) < (size_t)nparts) {
		if (id && strlen(id) < sizeof(u->upload_id))
			snprintf(u->upload_id, sizeof(u->upload_id), "%s", id);
		json_decref(out);
		bad_answer(&err, "the answer to startUpload has no "
				    "uploadId or too few uploadUrl");
		return fail_api(u, "startUpload", &err);
	}
	snprintf(u->upload_id, sizeof(u->upload_id), "%s", id);
	u->urls = json_incref(urls);
	u->nurls = nparts;
	u->parts = json_array();
	json_decref(out);
	return 0;
}

static int retryable(const struct tc_error *err)
{
	return err->kind == TC_E_CONNECT || err->kind == TC_E_TIMEOUT ||
	       err->kind == TC_E_BAD_RESPONSE ||
	       (err->kind == TC_E_HTTP && (err->http_status >= 500 ||
					   err->http_status == 429));
}

/* PUT buf as part u->part, retried; then the next part starts empty. */
static int put_part(struct upload *u)
{
	const char *url;
	char etag[128], what[64];
	struct tc_error err;
	int tries = 0;

	if (u->part > u->nurls) {
		bad_answer(&err, "a file larger than the parts asked for");
		return fail_api(u, "the upload", &err);
	}
	url = json_string_value(json_array_get(u->urls, (size_t)(u->part - 1)));
	for (;;) {
		tc_error_clear(&err);
		if (tc_put_url(u->org->client, url, u->buf, u->len, etag,
			       sizeof(etag), &err) == 0)
			break;
		if (++tries >= TCFS_UPLOAD_TRIES || !retryable(&err)) {
			snprintf(what, sizeof(what), "PUT of part %ld (after %d "
				 "tries)", u->part, tries);
			return fail_api(u, what, &err);
		}
		tcfs_log(LOG_WARNING, "upload of %s: part %ld failed (%s), "
			 "trying again", u->file, u->part, err.message);
		nanosleep(&(struct timespec){ 0, 500000000L * tries }, NULL);
	}
	json_array_append_new(u->parts, json_pack("{s:I, s:s}", "partNumber",
						  (json_int_t)u->part, "etag",
						  etag));
	u->part++;
	u->len = 0;
	return 0;
}

static long write_at(void *state, const char *buf, size_t size, long long off)
{
	struct upload *u = state;
	size_t done = 0;
	long r = (long)size;

	pthread_mutex_lock(&u->lock);
	if (u->failed || u->finished) {
		r = u->failed ? u->failed : -EBADF;
		goto out;
	}
	if (off != u->total) {
		cancel(u);
		tcfs_error_set(&u->coll, "cp %s: written out of order (at %lld, "
			       "%lld bytes written): an upload is written from "
			       "start to end; cancelled", u->file, off, u->total);
		r = u->failed = -EINVAL;
		goto out;
	}
	if (!u->buf && !(u->buf = malloc(TCFS_UPLOAD_PART))) {
		r = -ENOMEM;
		goto out;
	}
	while (done < size) {
		size_t n = size - done;

		if (n > TCFS_UPLOAD_PART - u->len)
			n = TCFS_UPLOAD_PART - u->len;
		memcpy(u->buf + u->len, buf + done, n);
		u->len += n;
		done += n;
		u->total += (long long)n;
		if (u->len < TCFS_UPLOAD_PART)
			continue;
		if ((!u->upload_id[0] && start(u, TCFS_UPLOAD_MAX_PARTS) != 0) ||
		    put_part(u) != 0) {
			r = u->failed;
			goto out;
		}
	}
out:
	pthread_mutex_unlock(&u->lock);
	return r;
}

/* The signal that killed process `pid`, which is closing its files on
 * its way out; 0 when it is not dying of a signal (or unknown). The
 * exit_code of /proc/PID/stat (field 52) is set before the files close. */
static int killed_by(int pid)
{
	char path[64], buf[1024], *p, *save = NULL;
	FILE *f;
	size_t n;
	long code = 0;
	int field = 3;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (!(f = fopen(path, "re")))
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (!(p = strrchr(buf, ')')))
		return 0;
	for (p = strtok_r(p + 1, " \n", &save); p;
	     p = strtok_r(NULL, " \n", &save), field++)
		if (field == 52) {
			code = strtol(p, NULL, 10);
			break;
		}
	return (int)(code & 0x7f);
}

static int complete(struct upload *u)
{
	const char *ids[2] = { cluster_id(u), u->upload_id };
	struct tc_error err;

	tc_error_clear(&err);
	if (tc_call(u->org->client, &tc_desc_serverless_import_complete_upload,
		    ids, 2, u->parts, NULL, &err) != 0)
		return fail_api(u, "completeUpload", &err);
	return 0;
}

static int create_import(struct upload *u)
{
	const struct tcfs_kind_desc *k = tcfs_kind(TCFS_K_SLS_IMPORT);
	json_t *body = tcfs_import_local_body(u->upload_id, u->db, u->table,
					      u->file_type, u->tpl);
	json_t *out = NULL;
	struct tc_error err;
	char line[600];
	int r;

	tc_error_clear(&err);
	r = tcfs_call_one(u->org, &k->create, &u->coll, NULL, body, &out, &err);
	json_decref(body);
	if (r != 0) {
		tc_error_format(&err, line, sizeof(line));
		tcfs_error_set(&u->coll, "cp %s: uploaded (%s), but creating the "
			       "import failed: %s", u->file, u->upload_id, line);
		json_decref(out);
		r = tc_error_errno(&err, 1);
		return -(r ? r : EIO);
	}
	tcfs_log(LOG_INFO, "uploaded %s (%lld bytes, %zu parts) into %s.%s: "
		 "import %s", u->file, u->total, json_array_size(u->parts),
		 u->db, u->table, tcfs_json_str_borrow(out, "importId") ?
		 tcfs_json_str_borrow(out, "importId") : "?");
	json_decref(out);
	tcfs_invalidate_collection(u->org, &u->coll);
	tcfs_error_clear(&u->coll);
	return 0;
}

static int finish(void *state, int pid)
{
	struct upload *u = state;
	int sig;

	pthread_mutex_lock(&u->lock);
	if (u->finished || u->failed) {
		int r = u->failed ? u->failed : u->result;

		pthread_mutex_unlock(&u->lock);
		return r;
	}
	if (u->total == 0 && !killed_by(pid)) {
		/* close(2) of an empty file fails; but it stays open for
		 * writing: a shell's `> file` closes its first descriptor
		 * (after dup2) before the command writes anything */
		tcfs_error_set(&u->coll, "cp %s refused (nothing was sent): the "
			       "file is empty, there is nothing to import",
			       u->file);
		pthread_mutex_unlock(&u->lock);
		return -EINVAL;
	}
	u->finished = 1;
	if ((sig = killed_by(pid)) != 0) {
		cancel(u);
		tcfs_error_set(&u->coll, "cp %s: the writer was killed (signal "
			       "%d) after %lld bytes: the upload was cancelled "
			       "and nothing imported", u->file, sig, u->total);
		u->result = -EINTR;
	} else if ((!u->upload_id[0] && start(u, 1) != 0) ||
		   (u->len && put_part(u) != 0) || complete(u) != 0) {
		u->result = u->failed;
	} else {
		u->result = create_import(u);
		u->upload_id[0] = '\0';      /* completed: nothing to cancel */
	}
	pthread_mutex_unlock(&u->lock);
	return u->result;
}

static long long size_of(void *state)
{
	struct upload *u = state;
	long long n;

	pthread_mutex_lock(&u->lock);
	n = u->total;
	pthread_mutex_unlock(&u->lock);
	return n;
}

/* release: an upload never closed through flush is abandoned. */
static void end(void *state)
{
	struct upload *u = state;

	if (!u)
		return;
	if (!u->finished && u->upload_id[0])
		cancel(u);
	json_decref(u->tpl);
	json_decref(u->urls);
	json_decref(u->parts);
	free(u->buf);
	pthread_mutex_destroy(&u->lock);
	free(u);
	release_slot();
}

const struct tcfs_sink tcfs_import_sink = {
	.accepts = accepts, .begin = begin, .write = write_at,
	.finish = finish, .size = size_of, .end = end,
};
