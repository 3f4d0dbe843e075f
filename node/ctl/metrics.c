/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl metrics: the node's metrics in the Prometheus text format, as
 * the node wrote them. */
#include <stdio.h>

#include "ctl.h"

static void print_metrics(const void *obj)
{
	const struct tn_metrics *m = obj;

	fputs(m->text, stdout);
}

const struct ctl_cmd ctl_metrics_cmds[] = {
	{ "metrics", NULL, "(Prometheus text format)", CMD_METRICS, print_metrics },
	{ NULL },
};
