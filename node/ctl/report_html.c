/* SPDX-License-Identifier: Apache-2.0 */
/* The report's page: its style (screen and A4 print), the title block and
 * the order of the sections. */
#include <string.h>
#include <time.h>

#include "report.h"
#include "svg.h"

static const char style[] =
	"@page{size:A4;margin:14mm 15mm}\n"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"body{font:10.5pt/1.4 'DejaVu Sans','Liberation Sans',Arial,sans-serif;color:#222;"
	"max-width:180mm;margin:8mm auto;padding:0 4mm}\n"
	"h1{font-size:19pt;font-weight:normal;margin:0 0 2mm;color:#1f3b4d}\n"
	"h2{font-size:14pt;font-weight:normal;color:#1f3b4d;border-bottom:1px solid #9fb3c2;"
	"padding-bottom:1mm;margin:8mm 0 3mm}\n"
	"section{break-before:page;page-break-before:always}\n"
	"section.first{break-before:auto;page-break-before:auto}\n"
	".head{border-top:4px solid #1f3b4d;padding-top:4mm}\n"
	".head dl{display:grid;grid-template-columns:max-content auto;gap:1mm 6mm;margin:3mm 0}\n"
	".head dt{color:#667}.head dd{margin:0}\n"
	"figure{margin:3mm 0 2mm;break-inside:avoid;page-break-inside:avoid}\n"
	"figcaption{font-weight:bold;font-size:10pt;margin-bottom:1mm}\n"
	"svg{display:block;max-width:100%;height:auto}\n"
	"svg text{font-size:10px;fill:#333;font-family:'DejaVu Sans','Liberation Sans',Arial,"
	"sans-serif}\n"
	"svg text.v{fill:#555}\n"
	"svg .axis{stroke:#888;stroke-width:1}\n"
	"svg .grid{stroke:#e3e6e8;stroke-width:1}\n"
	"svg .mark{stroke:#a5514f;stroke-width:1.2;stroke-dasharray:4 3}\n"
	"svg .whisker{stroke:#3b6e8f;stroke-width:1.5}\n"
	"svg .deadline{stroke:#222;stroke-width:2}\n"
	".legend{font-size:9pt;margin:0 0 3mm}\n"
	".key{display:inline-block;margin-right:4mm;white-space:nowrap}\n"
	".key i{display:inline-block;width:9pt;height:9pt;margin-right:1.5mm;"
	"vertical-align:-1pt;border:1px solid #0002}\n"
	"table{border-collapse:collapse;font-size:8.5pt;margin:2mm 0 4mm;"
	"font-variant-numeric:tabular-nums}\n"
	"table.wide{font-size:7.5pt}table.wide th,table.wide td{padding:0.5mm 1mm}\n"
	"th,td{padding:0.5mm 1.4mm;border-bottom:1px solid #e0e4e8;text-align:right}\n"
	"th{border-bottom:1px solid #667;font-weight:bold;background:#f1f4f6;"
	"vertical-align:bottom}\n"
	"td:first-child{white-space:nowrap}\n"
	"th:first-child,td:first-child{text-align:left}\n"
	"thead{display:table-header-group}tr{break-inside:avoid}\n"
	"p.none{color:#667;font-style:italic}\n"
	"p.note{font-size:9pt;color:#444}\n";

void report__section(FILE *f, const char *h)
{
	fputs("</section>\n<section>\n<h2>", f);
	svg_esc(f, h);
	fputs("</h2>\n", f);
}

bool report__sent(const char *dir)
{
	return !strcmp(dir, "sent");
}

void report__words(FILE *f, const char *s)
{
	char buf[128];
	size_t i;

	for (i = 0; s[i] && i + 1 < sizeof(buf); i++)
		buf[i] = s[i] == '_' ? ' ' : s[i];
	buf[i] = '\0';
	svg_esc(f, buf);
}

void report__no_data(FILE *f)
{
	fputs("<p class=\"none\">no data in this period</p>\n", f);
}

const char *report__minutes(uint32_t min, char *buf, size_t cap)
{
	if (min < 120)
		snprintf(buf, cap, "%u min", min);
	else if (min < 48 * 60)
		snprintf(buf, cap, "%.1f h", min / 60.0);
	else
		snprintf(buf, cap, "%.1f d", min / 1440.0);
	return buf;
}

const char *report__share(uint32_t part, uint32_t whole, char *buf, size_t cap)
{
	if (!whole)
		snprintf(buf, cap, "\xe2\x80\x93");
	else
		snprintf(buf, cap, "%.1f\xc2\xa0%%", 100.0 * part / whole);
	return buf;
}

void report__legend(FILE *f, const char *const *names, const char *const *colours, size_t n)
{
	fputs("<p class=\"legend\">", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "<span class=\"key\"><i style=\"background:%s\"></i>", colours[i]);
		report__words(f, names[i]);
		fputs("</span>", f);
	}
	fputs("</p>\n", f);
}

/* "YYYY-MM-DD HH:MM UTC" of ms since the epoch. */
static void utc(uint64_t ms, char *buf, size_t cap)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, cap, "%Y-%m-%d %H:%M UTC", &tm))
		proto_strcpy(buf, cap, "?");
}

static void title_block(FILE *f, const struct tn_stats *s)
{
	char when[40];

	utc(s->made_ms, when, sizeof(when));
	fputs("<section class=\"first head\">\n<h1>Firearm tracing report of ", f);
	svg_esc(f, s->node);
	fputs("</h1>\n<dl><dt>Node</dt><dd>", f);
	svg_esc(f, s->node);
	fputs("</dd><dt>Period</dt><dd>", f);
	svg_esc(f, s->since[0] ? s->since : "the beginning");
	fputs(" to ", f);
	svg_esc(f, s->until[0] ? s->until : "today");
	fprintf(f, "</dd><dt>Generated</dt><dd>%s</dd></dl>\n", when);
	fputs("<p class=\"note\">Counts come from this node's own records of the traces it "
	      "sent and answered, the stolen checks it made and answered, and the results "
	      "peers returned. Each chart has a table or labels with the exact numbers.</p>\n",
	      f);
}

int ctl_report_html(FILE *f, const struct tn_stats *s)
{
	int (*const sections[])(FILE *, const struct tn_stats *) = {
		report__traces, report__answers, report__ttc, report__sources, report__stolen,
	};
	int rc = 0;

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
	      "Tracing report of ", f);
	svg_esc(f, s->node);
	fprintf(f, "</title>\n<meta name=\"viewport\" content=\"width=device-width\">\n"
		"<style>\n%s</style></head>\n<body>\n", style);
	title_block(f, s);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]) && !rc; i++)
		rc = sections[i](f, s);
	fputs("</section>\n</body></html>\n", f);
	if (!rc && (fflush(f) || ferror(f)))
		rc = TN_ERR_IO;
	return rc;
}
