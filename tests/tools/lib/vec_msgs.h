/* SPDX-License-Identifier: Apache-2.0 */
/* The messages of the test vectors (tests/vectors/envelopes.json), one of
 * each registered type: a GTM officer's stolen query and trace request,
 * MEX's answers. Fixed values, so the vectors never change by themselves. */
#ifndef TN_TOOLS_VEC_MSGS_H
#define TN_TOOLS_VEC_MSGS_H

#include "../../../proto/proto.h"

extern struct tn_ping vm_ping;
extern struct tn_stolen_query vm_query;
extern struct tn_stolen_result vm_result_hit, vm_result_no_hit;
extern struct tn_trace_request vm_request;
extern struct tn_trace_ack vm_trace_ack;
extern struct tn_trace_result vm_trace_result;
extern struct tn_ack vm_ack;

/* Fill what depends on other messages: message ids, the first retail sale,
 * the time to crime, and the result's digest of the request. 0 or a
 * TN_ERR_* code. */
int vec_msgs_init(void) TN_WUR;

#endif
