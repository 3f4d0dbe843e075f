/* SPDX-License-Identifier: Apache-2.0 */
/* The project's error list as text. */
#include <stdarg.h>
#include <stdio.h>

#include "proto_int.h"

const char *tn_strerror(int err)
{
	switch (err) {
	case TN_OK:
		return "success";
#define TN_ERR_CASE(name, val, msg) case (val): return msg;
	TN_ERRORS(TN_ERR_CASE)
#undef TN_ERR_CASE
	}
	return "unknown error";
}

int proto__why(char *why, size_t why_len, int rc, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return rc;
}
