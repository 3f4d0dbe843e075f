/* SPDX-License-Identifier: Apache-2.0 */
/* The project's error list as text. */
#include "proto.h"

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
