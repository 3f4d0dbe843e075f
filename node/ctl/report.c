/* SPDX-License-Identifier: Apache-2.0 */
/* tracectl report --html FILE: fetch the node's statistics of a period and
 * write them as a self-contained HTML page (drawn by report_html.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "report.h"

#define REPORT_USAGE "--html FILE [--since DATE] [--until DATE] [--peer NAME]"

/* The options into a and *path; prints usage and returns 1 on a mistake. */
static int options(int argc, char **argv, struct tn_stats_arg *a, const char **path)
{
	static const char *const keys[][2] = {
		{ "--since", "since" }, { "--until", "until" }, { "--peer", "peer" },
	};

	for (int i = 0; i < argc; i += 2) {
		size_t k = 0;

		if (i + 1 >= argc)
			return ctl_fail("usage: report " REPORT_USAGE);
		if (!strcmp(argv[i], "--html")) {
			*path = argv[i + 1];
			continue;
		}
		while (k < sizeof(keys) / sizeof(keys[0]) && strcmp(argv[i], keys[k][0]))
			k++;
		if (k == sizeof(keys) / sizeof(keys[0]))
			return ctl_fail("usage: report " REPORT_USAGE);
		if (k < 2 && proto_date_check(argv[i + 1]))
			return ctl_fail("%s must be YYYY-MM-DD, got '%s'", argv[i],
					ctl_str(argv[i + 1]));
		if (proto_field_set(&proto_stats_arg_schema, a, keys[k][1], argv[i + 1]))
			return ctl_fail("%s '%s': too long or not valid text", argv[i],
					ctl_str(argv[i + 1]));
	}
	return *path ? 0 : ctl_fail("usage: report " REPORT_USAGE);
}

/* The statistics of reply m drawn into the open file f. */
static int draw(struct proto_msg *m, FILE *f, const char *path)
{
	struct tn_stats s = { 0 };
	int rc;

	if ((rc = proto_msg_decode(m, "data", &proto_stats_schema, &s)))
		rc = ctl_fail("cannot read the statistics: %s", tn_strerror(rc));
	else if ((rc = ctl_report_html(f, &s)))
		rc = ctl_fail("cannot write %s: %s", path, tn_strerror(rc));
	else
		printf("wrote the report of %s (%s to %s) to %s\n", ctl_str(s.node),
		       s.since[0] ? ctl_str(s.since) : "the beginning",
		       s.until[0] ? ctl_str(s.until) : "today", path);
	proto_release(&proto_stats_schema, &s);
	return rc;
}

static int report(struct ctl *c, int argc, char **argv)
{
	struct tn_stats_arg a = { 0 };
	const char *path = NULL;
	struct proto_msg *m;
	FILE *f;
	int fd, rc;

	if (options(argc, argv, &a, &path))
		return 1;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
		return ctl_fail("cannot create %s: %s (it must not exist)", path, strerror(errno));
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		unlink(path);
		return ctl_fail("cannot write %s: %s", path, strerror(errno));
	}
	if (!(rc = ctl_call(c, CMD_STATS, &a, &m))) {
		rc = draw(m, f, path);
		proto_msg_free(m);
	}
	if ((fflush(f) || fsync(fd)) && !rc)
		rc = ctl_fail("cannot write %s: %s", path, strerror(errno));
	if (fclose(f) && !rc)
		rc = ctl_fail("cannot write %s: %s", path, strerror(errno));
	if (rc)
		unlink(path);
	return rc;
}

const struct ctl_cmd ctl_report_cmds[] = {
	{ "report", report, REPORT_USAGE " (an HTML page with charts; DATE: YYYY-MM-DD)" },
	{ NULL },
};
