/* errors.c — error bodies in each API family's own shape (emu.h). */
#include "emu.h"

#include <stdarg.h>
#include <stdio.h>

/* v1beta's numeric codes: 49900001 (key not found) and 49900007 (rate
 * limit) are the documented ones; the others are the emulator's choice,
 * keeping the documented 499000xx form. */
static long v1beta_code(int http_status)
{
	switch (http_status) {
	case 401: return 49900001;
	case 429: return 49900007;
	case 400: return 49900002;
	case 403: return 49900003;
	case 404: return 49900004;
	case 405: return 49900005;
	case 413: return 49900006;
	default:  return 49900000;
	}
}

/* IAM/billing string codes. */
static const char *iam_code(int http_status)
{
	switch (http_status) {
	case 400: return "InvalidParameter";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "NotFound";
	case 405: return "MethodNotAllowed";
	case 413: return "RequestEntityTooLarge";
	case 429: return "TooManyRequests";
	default:  return "InternalError";
	}
}

void emu_error(struct emu_response *rs, enum emu_family f, int http_status,
	       enum emu_rpc_code rpc, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_decref(rs->body);
	rs->status = http_status;
	switch (f) {
	case EMU_FAM_V1BETA:
		rs->body = json_pack("{s:I, s:s, s:[]}", "code",
				     (json_int_t)v1beta_code(http_status),
				     "message", msg, "details");
		break;
	case EMU_FAM_IAM:
	case EMU_FAM_BILLING:
	case EMU_FAM_MSP:
		rs->body = json_pack("{s:s, s:s, s:s, s:i}", "code",
				     iam_code(http_status), "error", msg,
				     "msgPrefix", msg, "status", http_status);
		break;
	default:
		rs->body = json_pack("{s:i, s:s, s:[]}", "code", (int)rpc,
				     "message", msg, "details");
		break;
	}
}

json_t *emu_rate_limit_body(long limit)
{
	char msg[256];

	snprintf(msg, sizeof(msg),
		 "The request exceeded the limit of %ld times per apikey per "
		 "minute. For more quota, please contact us: "
		 "https://support.pingcap.com/hc/en-us/requests/new", limit);
	return json_pack("{s:[], s:I, s:s}", "details", "code",
			 (json_int_t)49900007, "message", msg);
}

json_t *emu_unknown_host_body(const char *host)
{
	char msg[512];

	snprintf(msg, sizeof(msg),
		 "tidbcloud-emulator: unknown host \"%s\"; known hosts: "
		 "api.tidbcloud.com, serverless.tidbapi.com, "
		 "dedicated.tidbapi.com, iam.tidbapi.com, billing.tidbapi.com, "
		 "dataservice.tidbapi.com, msp.tidbapi.com", host);
	return json_pack("{s:i, s:s, s:[]}", "code", (int)EMU_RPC_NOT_FOUND,
			 "message", msg, "details");
}
