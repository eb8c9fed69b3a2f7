/*
 * imports.h — between the import tasks (routes_imports.c) and the local
 * upload flow (routes_uploads.c): an import from a LOCAL source takes a
 * completed upload. Requires the model lock.
 */
#ifndef EMU_IMPORTS_H
#define EMU_IMPORTS_H

#include "emu.h"
#include "store.h"

/* The COMPLETED upload uploadId of cluster, marked as used by the caller;
 * NULL with a 400 (unknown, still open, or already used) in rs. */
struct emu_object *emu_upload_take(const struct emu_request *rq,
				   struct emu_response *rs,
				   const char *cluster, const char *upload_id);

#endif
