/* SPDX-License-Identifier: Apache-2.0 */
/* The statistics report: one self-contained HTML page (inline CSS and
 * SVG, no scripts, nothing fetched) drawn from a filled struct tn_stats. */
#ifndef TN_REPORT_H
#define TN_REPORT_H

#include <stdio.h>

#include "../../proto/proto.h"

/* Write the whole report of s to f; 0, or TN_ERR_NOMEM / TN_ERR_IO. */
int ctl_report_html(FILE *f, const struct tn_stats *s);

/* ---- between the report's files ---- */

/* A labelled count of a horizontal bar chart. */
struct report_bar {
	const char *label;
	uint32_t value;
};

/* Is dir the direction of what we sent? Anything else ("received", or
 * the "receive" that an 8-byte dir field keeps of it) counts as received. */
bool report__sent(const char *dir);
/* s escaped, with underscores shown as spaces ("no_record": "no record"). */
void report__words(FILE *f, const char *s);
/* Open a section with heading h (every section starts a printed page). */
void report__section(FILE *f, const char *h);
/* The paragraph of a section or chart without data. */
void report__no_data(FILE *f);
/* Minutes as "45 min", "5.5 h" or "3.2 d" into buf. */
const char *report__minutes(uint32_t min, char *buf, size_t cap);
/* A share as "12.5 %" ("–" of nothing) into buf. */
const char *report__share(uint32_t part, uint32_t whole, char *buf, size_t cap);
/* Horizontal bars of b[0..n), longest first as given; labels cut to
 * max_label characters. */
void report__hbars(FILE *f, const char *title, const struct report_bar *b, size_t n,
		   size_t max_label, const char *fill);
/* A legend under a chart: colours[i] beside names[i]. */
void report__legend(FILE *f, const char *const *names, const char *const *colours, size_t n);

/* The sections, in the order of the page. */
int report__traces(FILE *f, const struct tn_stats *s);
int report__answers(FILE *f, const struct tn_stats *s);
int report__ttc(FILE *f, const struct tn_stats *s);
int report__sources(FILE *f, const struct tn_stats *s);
int report__stolen(FILE *f, const struct tn_stats *s);

#endif
