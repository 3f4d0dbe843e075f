/* SPDX-License-Identifier: Apache-2.0 */
/* Small writers of inline SVG and HTML for the report: escaped text,
 * shapes, axis steps and the palette. Everything goes to a FILE; callers
 * check ferror() once at the end. */
#ifndef TN_SVG_H
#define TN_SVG_H

#include <stddef.h>
#include <stdio.h>

#define SVG_W 680                 /* every chart's width, in CSS pixels */
#define SVG_CHAR_W 5.6            /* a 10 px sans-serif character, about */

/* s with &, <, >, " and ' escaped and control characters replaced. */
void svg_esc(FILE *f, const char *s);
/* Like svg_esc, but at most max characters, the last an ellipsis when cut. */
void svg_esc_cut(FILE *f, const char *s, size_t max);
/* Open a chart: a captioned figure holding an <svg> of SVG_W x h. */
void svg_open(FILE *f, int h, const char *title);
/* Close the chart that svg_open opened. */
void svg_close(FILE *f);
/* A filled rectangle (fill: a colour or "none"). */
void svg_rect(FILE *f, double x, double y, double w, double h, const char *fill);
/* A line of CSS class cls. */
void svg_line(FILE *f, double x1, double y1, double x2, double y2, const char *cls);
/* Text s (escaped, cut to max characters; 0: whole) at x, y, anchored
 * "start", "middle" or "end". */
void svg_text(FILE *f, double x, double y, const char *anchor, const char *s, size_t max);
/* Text from a format; the caller formats numbers only (not escaped). */
void svg_textf(FILE *f, double x, double y, const char *anchor, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* A round step (1, 2 or 5 times a power of ten) that cuts 0..max into
 * about n ticks. */
double svg_step(double max, int n);
/* The colour of the i-th series. */
const char *svg_colour(size_t i);

#endif
