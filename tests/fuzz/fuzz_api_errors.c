/* fuzz_api_errors — an API error body (api/errors.c): any of the three
 * shapes or garbage, with a status and a reason from the input, then
 * formatted and mapped to errno. Input: "SSS reason\n" + body. */
#include <stdio.h>
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *nl;
	char reason[64] = "", buf[1024];
	long status = 500;
	struct tc_error err;

	nl = memchr(p, '\n', size);
	if (nl && nl - p >= 3 && (size_t)(nl - p) < 64) {
		status = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
		memcpy(reason, p + 3, (size_t)(nl - p) - 3);
		reason[nl - p - 3] = '\0';
		size -= (size_t)(nl + 1 - p);
		p = nl + 1;
	}
	tc_error_clear(&err);
	tc_error_from_response(&err, status, reason, p, size, "trace-1");
	if (!memchr(err.message, '\0', sizeof(err.message)) ||
	    !memchr(err.api_code, '\0', sizeof(err.api_code)))
		abort();
	tc_error_format(&err, buf, sizeof(buf));
	tc_error_format(&err, buf, 8);
	(void)tc_error_errno(&err, 0);
	(void)tc_error_errno(&err, 1);
	(void)tc_http_reason(status);
	return 0;
}
