/*
 * reports/junit.c — see junit.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>

#include "reports/junit.h"

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t
utf8_len(const unsigned char *p, size_t left)
{
	uint32_t c;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0fu;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07u;
	else
		return 0;
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3fu);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    c == 0xfffe || c == 0xffff)
		return 0;
	return n;
}

char *
pf_xml_clean(const char *s, size_t cap)
{
	static const char repl[] = "\xef\xbf\xbd", trunc[] = " [truncated]";
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t len = strlen((const char *)p), o = 0;
	char *out = malloc(3 * len + sizeof(trunc) + 1);

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len; ) {
		size_t n = utf8_len(p + i, len - i);
		int bad = n == 0 || (p[i] < 0x20 && p[i] != '\t' &&
		    p[i] != '\n' && p[i] != '\r') || p[i] == 0x7f;
		size_t w = bad ? 3 : n;
		if (cap > 0 && o + w > cap) {
			memcpy(out + o, trunc, sizeof(trunc));
			return out;
		}
		if (bad)
			memcpy(out + o, repl, 3);
		else
			memcpy(out + o, p + i, n);
		o += w;
		i += n ? n : 1;
	}
	out[o] = '\0';
	return out;
}

size_t
pf_junit_failures(const pf_junit *j)
{
	size_t n = 0;

	for (size_t s = 0; s < j->nsuites; s++)
		for (size_t c = 0; c < j->suites[s].ncases; c++)
			n += j->suites[s].cases[c].status == PF_JU_FAIL;
	return n;
}

/* Attribute / text writers that clean first; return < 0 on failure. */
static int
wattr(xmlTextWriterPtr w, const char *name, const char *v, size_t cap)
{
	char *c = pf_xml_clean(v, cap);
	int rc;

	if (c == NULL)
		return -1;
	rc = xmlTextWriterWriteAttribute(w, (const xmlChar *)name,
	    (const xmlChar *)c);
	free(c);
	return rc;
}

static int
wnum(xmlTextWriterPtr w, const char *name, size_t v)
{
	return xmlTextWriterWriteFormatAttribute(w, (const xmlChar *)name,
	    "%zu", v);
}

static int
wtime(xmlTextWriterPtr w, double t)
{
	char b[64];

	snprintf(b, sizeof(b), "%.3f", t < 0 ? 0.0 : t);
	return xmlTextWriterWriteAttribute(w, (const xmlChar *)"time",
	    (const xmlChar *)b);
}

/* The first line of s, for message attributes. */
static char *
first_line(const char *s)
{
	const char *nl = s ? strchr(s, '\n') : NULL;

	return s == NULL ? strdup("") : nl ? strndup(s, (size_t)(nl - s)) :
	    strdup(s);
}

static int
write_case(xmlTextWriterPtr w, const pf_ju_suite *s, const pf_ju_case *c)
{
	static const char *const elem[] = {NULL, "failure", "error",
	    "skipped"};
	int rc = 0;

	rc |= xmlTextWriterStartElement(w, (const xmlChar *)"testcase") < 0;
	rc |= wattr(w, "classname", s->classname, 0) < 0;
	rc |= wattr(w, "name", c->name, 1024) < 0;
	if (c->time >= 0)	/* negative: not timed, no attribute */
		rc |= wtime(w, c->time) < 0;
	if (c->status != PF_JU_PASS) {
		char *msg = first_line(c->message);
		if (msg == NULL)
			return -1;
		rc |= xmlTextWriterStartElement(w,
		    (const xmlChar *)elem[c->status]) < 0;
		if (c->status != PF_JU_SKIP && c->type)
			rc |= wattr(w, "type", c->type, 256) < 0;
		rc |= wattr(w, "message", msg, 1024) < 0;
		if (c->status != PF_JU_SKIP) {
			/* the message again, then the details */
			size_t n = strlen(msg) + (c->details ?
			    strlen(c->details) : 0) + 2;
			char *body = malloc(n), *cl;
			if (body == NULL) {
				free(msg);
				return -1;
			}
			snprintf(body, n, "%s%s%s", msg, c->details ? "\n" : "",
			    c->details ? c->details : "");
			cl = pf_xml_clean(body, PF_JUNIT_DETAIL_CAP);
			free(body);
			if (cl == NULL) {
				free(msg);
				return -1;
			}
			rc |= xmlTextWriterWriteString(w,
			    (const xmlChar *)cl) < 0;
			free(cl);
		}
		free(msg);
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	rc |= xmlTextWriterEndElement(w) < 0;
	return rc ? -1 : 0;
}

static int
write_suite(xmlTextWriterPtr w, const pf_ju_suite *s)
{
	size_t nf = 0, ne = 0, ns = 0;
	int rc = 0;

	for (size_t i = 0; i < s->ncases; i++) {
		nf += s->cases[i].status == PF_JU_FAIL;
		ne += s->cases[i].status == PF_JU_ERROR;
		ns += s->cases[i].status == PF_JU_SKIP;
	}
	rc |= xmlTextWriterStartElement(w, (const xmlChar *)"testsuite") < 0;
	rc |= wattr(w, "name", s->name, 512) < 0;
	rc |= wnum(w, "tests", s->ncases) < 0;
	rc |= wnum(w, "failures", nf) < 0;
	rc |= wnum(w, "errors", ne) < 0;
	rc |= wnum(w, "skipped", ns) < 0;
	rc |= wtime(w, s->time) < 0;
	rc |= wattr(w, "timestamp", s->timestamp, 64) < 0;
	char host[256] = "localhost";
	if (s->hostname == NULL && gethostname(host, sizeof(host) - 1) == 0)
		host[sizeof(host) - 1] = '\0';
	rc |= wattr(w, "hostname", s->hostname ? s->hostname : host, 256) < 0;
	if (s->file)
		rc |= wattr(w, "file", s->file, 1024) < 0;
	if (s->nprops > 0) {
		rc |= xmlTextWriterStartElement(w,
		    (const xmlChar *)"properties") < 0;
		for (size_t i = 0; i < s->nprops; i++) {
			rc |= xmlTextWriterStartElement(w,
			    (const xmlChar *)"property") < 0;
			rc |= wattr(w, "name", s->prop_name[i], 256) < 0;
			rc |= wattr(w, "value", s->prop_value[i], 4096) < 0;
			rc |= xmlTextWriterEndElement(w) < 0;
		}
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	for (size_t i = 0; i < s->ncases && !rc; i++)
		rc |= write_case(w, s, &s->cases[i]) < 0;
	if (s->system_out) {
		char *c = pf_xml_clean(s->system_out, PF_JUNIT_DETAIL_CAP);
		if (c == NULL)
			return -1;
		rc |= xmlTextWriterWriteElement(w, (const xmlChar *)"system-out",
		    (const xmlChar *)c) < 0;
		free(c);
	}
	rc |= xmlTextWriterEndElement(w) < 0;
	return rc ? -1 : 0;
}

int
pf_junit_write(const pf_junit *j, FILE *f, pf_err *err)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	size_t tests = 0, nf = 0, ne = 0;
	double time = 0.0;
	int rc = 0;

	if (w == NULL) {
		xmlBufferFree(buf);
		return pf_err_set(err, PF_ENOMEM, NULL, 0, "out of memory");
	}
	for (size_t s = 0; s < j->nsuites; s++) {
		tests += j->suites[s].ncases;
		time += j->suites[s].time;
		for (size_t c = 0; c < j->suites[s].ncases; c++) {
			nf += j->suites[s].cases[c].status == PF_JU_FAIL;
			ne += j->suites[s].cases[c].status == PF_JU_ERROR;
		}
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, (const xmlChar *)"  ");
	rc |= xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0;
	rc |= xmlTextWriterStartElement(w, (const xmlChar *)"testsuites") < 0;
	rc |= wattr(w, "name", j->name, 512) < 0;
	rc |= wnum(w, "tests", tests) < 0;
	rc |= wnum(w, "failures", nf) < 0;
	rc |= wnum(w, "errors", ne) < 0;
	rc |= wtime(w, time) < 0;
	for (size_t s = 0; s < j->nsuites && !rc; s++)
		rc |= write_suite(w, &j->suites[s]) < 0;
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w);
	if (rc == 0 && fwrite(xmlBufferContent(buf), 1,
	    (size_t)xmlBufferLength(buf), f) != (size_t)xmlBufferLength(buf))
		rc = 1;
	xmlBufferFree(buf);
	return rc ? pf_err_set(err, PF_EIO, NULL, 0, "cannot write the "
	    "JUnit XML") : PF_OK;
}
