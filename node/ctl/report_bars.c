/* SPDX-License-Identifier: Apache-2.0 */
/* The report's horizontal bar chart: a label, a bar and its count on each
 * row, for countries, dealers, flows and stolen checks. */
#include <string.h>

#include "report.h"
#include "svg.h"

#define ROW 17.0
#define BAR 11.0

/* Characters in the longest label, at most max. */
static size_t label_chars(const struct report_bar *b, size_t n, size_t max)
{
	size_t w = 1;

	for (size_t i = 0; i < n; i++) {
		size_t k = 0;

		for (const unsigned char *p = (const unsigned char *)b[i].label; *p; p++)
			k += (*p & 0xc0) != 0x80;
		if (k > w)
			w = k;
	}
	return w < max ? w : max;
}

void report__hbars(FILE *f, const char *title, const struct report_bar *b, size_t n,
		   size_t max_label, const char *fill)
{
	double x0 = 8 + label_chars(b, n, max_label) * SVG_CHAR_W + 8, w = SVG_W - x0 - 48;
	uint32_t top = 1;

	for (size_t i = 0; i < n; i++)
		if (b[i].value > top)
			top = b[i].value;
	svg_open(f, (int)(n * ROW + 10), title);
	for (size_t i = 0; i < n; i++) {
		double y = 5 + i * ROW, len = w * b[i].value / top;

		svg_text(f, x0 - 6, y + BAR - 2, "end", b[i].label, max_label);
		svg_rect(f, x0, y, len < 1 && b[i].value ? 1 : len, BAR, fill);
		svg_textf(f, x0 + len + 4, y + BAR - 2, "start", "%u", b[i].value);
	}
	svg_line(f, x0, 2, x0, n * ROW + 6, "axis");
	svg_close(f);
}
