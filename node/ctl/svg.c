/* SPDX-License-Identifier: Apache-2.0 */
/* Small writers of inline SVG and HTML for the report (svg.h). */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "svg.h"

/* Calm colours that print well in colour and stay apart in grey. */
static const char *const palette[] = {
	"#3b6e8f", "#88b0c9", "#d3a65a", "#8c6d9e", "#b5838d",
	"#a5514f", "#8fae7e", "#c8d5b9", "#6b7f8e", "#c9c3b4",
};

const char *svg_colour(size_t i)
{
	return palette[i % (sizeof(palette) / sizeof(palette[0]))];
}

/* Bytes of the UTF-8 character that starts with c (1 for stray bytes). */
static size_t utf8_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	return c >= 0xc0 ? 2 : 1;
}

static void esc_char(FILE *f, const char *p, size_t n)
{
	unsigned char c = (unsigned char)*p;

	switch (c) {
	case '&': fputs("&amp;", f); return;
	case '<': fputs("&lt;", f); return;
	case '>': fputs("&gt;", f); return;
	case '"': fputs("&quot;", f); return;
	case '\'': fputs("&#39;", f); return;
	}
	if (c < 0x20 || c == 0x7f)
		fputc('?', f);
	else
		fwrite(p, 1, n, f);
}

void svg_esc_cut(FILE *f, const char *s, size_t max)
{
	size_t chars = 0, len = strlen(s);

	for (size_t i = 0; i < len; i += utf8_len((unsigned char)s[i]))
		chars++;
	for (size_t i = 0, k = 0; i < len; k++) {
		size_t n = utf8_len((unsigned char)s[i]);

		if (i + n > len)
			n = len - i;
		if (max && chars > max && k + 1 == max) {
			fputs("\xe2\x80\xa6", f);
			return;
		}
		esc_char(f, s + i, n);
		i += n;
	}
}

void svg_esc(FILE *f, const char *s)
{
	svg_esc_cut(f, s, 0);
}

void svg_open(FILE *f, int h, const char *title)
{
	fputs("<figure><figcaption>", f);
	svg_esc(f, title);
	fprintf(f, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		"viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\"><title>",
		SVG_W, h, SVG_W, h);
	svg_esc(f, title);
	fputs("</title>\n", f);
}

void svg_close(FILE *f)
{
	fputs("</svg></figure>\n", f);
}

void svg_rect(FILE *f, double x, double y, double w, double h, const char *fill)
{
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
		x, y, w > 0 ? w : 0, h > 0 ? h : 0, fill);
}

void svg_line(FILE *f, double x1, double y1, double x2, double y2, const char *cls)
{
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%s\"/>\n",
		x1, y1, x2, y2, cls);
}

void svg_text(FILE *f, double x, double y, const char *anchor, const char *s, size_t max)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y, anchor);
	svg_esc_cut(f, s, max);
	fputs("</text>\n", f);
}

void svg_textf(FILE *f, double x, double y, const char *anchor, const char *fmt, ...)
{
	va_list ap;

	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y, anchor);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputs("</text>\n", f);
}

double svg_step(double max, int n)
{
	double raw = max > 0 ? max / (n > 0 ? n : 1) : 1;
	double p = pow(10, floor(log10(raw)));

	if (raw <= p)
		return p;
	if (raw <= 2 * p)
		return 2 * p;
	return raw <= 5 * p ? 5 * p : 10 * p;
}
