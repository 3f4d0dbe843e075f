/* SPDX-License-Identifier: Apache-2.0 */
/* report_fixture PEERS MONTHS OUT.html: write the HTML report of synthetic
 * statistics (PEERS 0: an empty period) with tracectl's own renderer, so
 * that the page can be checked in a browser without a node. */
#include <stdio.h>
#include <stdlib.h>

#include "../../node/ctl/report.h"
#include "../unit/stats_fixture.h"

int main(int argc, char **argv)
{
	struct tn_stats s = { 0 };
	FILE *f;
	int rc;

	if (argc != 4) {
		fprintf(stderr, "usage: report_fixture PEERS MONTHS OUT.html\n");
		return 2;
	}
	if ((rc = stats_fixture(&s, atoi(argv[1]), atoi(argv[2]))) ||
	    !(f = fopen(argv[3], "wx"))) {
		fprintf(stderr, "report_fixture: cannot make %s\n", argv[3]);
		proto_release(&proto_stats_schema, &s);
		return 1;
	}
	rc = ctl_report_html(f, &s);
	if (fclose(f) && !rc)
		rc = TN_ERR_IO;
	proto_release(&proto_stats_schema, &s);
	if (rc)
		fprintf(stderr, "report_fixture: %s\n", tn_strerror(rc));
	return rc ? 1 : 0;
}
