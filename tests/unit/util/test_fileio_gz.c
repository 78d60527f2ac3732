/*
 * test_fileio_gz.c — gzip-compressed inputs (harness/util/fileio.c):
 * recognised by their magic bytes, not their name; inflated whole
 * (pf_read_file) or as a stream of lines and blocks (pf_reader); the text
 * rules applied to what they inflate to; a truncated or corrupt stream an
 * error naming the file, never a short text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <zlib.h>

#include "harness/util/fileio.h"

static char dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/pf_test_gz_XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(gz, .init = setup, .fini = teardown);

/* dir/name, in a buffer of the caller's. */
static const char *
at(char *path, size_t sz, const char *name)
{
	snprintf(path, sz, "%s/%s", dir, name);
	return path;
}

/* text[0..n) gzip-compressed into dir/name (mode "a" appends a member). */
static void
gz_put(const char *path, const char *mode, const char *text, size_t n)
{
	gzFile g = gzopen(path, mode);

	cr_assert_not_null(g);
	cr_assert_eq(gzwrite(g, text, (unsigned)n), (int)n);
	cr_assert_eq(gzclose(g), Z_OK);
}

static void
raw_put(const char *path, const char *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(bytes, 1, n, f), n);
	fclose(f);
}

/* The bytes of path in a malloc'd buffer (*n). */
static char *
raw_get(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b = malloc(1 << 20);

	cr_assert_not_null(f);
	*n = fread(b, 1, 1 << 20, f);
	fclose(f);
	return b;
}

static const char run[] = "1 Q0 d1 1 2.5 r\n1 Q0 d2 2 1.5 r\n2 Q0 d3 1 9 r\n";

Test(gz, a_gzip_file_reads_as_its_text_whatever_its_name)
{
	char p[128], *buf;
	size_t len;
	pf_err err = {0};

	gz_put(at(p, sizeof(p), "run.txt"), "wb", run, strlen(run));
	cr_assert_eq(pf_read_file(&buf, &len, p, &err), PF_OK, "%s", err.msg);
	cr_assert_eq(len, strlen(run));
	cr_assert_str_eq(buf, run);
	free(buf);
	/* a plain file called .gz is read as it is */
	raw_put(at(p, sizeof(p), "plain.gz"), run, strlen(run));
	cr_assert_eq(pf_read_file(&buf, &len, p, &err), PF_OK, "%s", err.msg);
	cr_assert_str_eq(buf, run);
	free(buf);
}

Test(gz, concatenated_members_are_read_one_after_another)
{
	char p[128], *buf;
	size_t len;
	pf_err err = {0};

	at(p, sizeof(p), "two.gz");
	gz_put(p, "wb", run, 16);
	gz_put(p, "ab", run + 16, strlen(run) - 16);
	cr_assert_eq(pf_read_file(&buf, &len, p, &err), PF_OK, "%s", err.msg);
	cr_assert_str_eq(buf, run);
	free(buf);
}

Test(gz, text_rules_apply_to_the_inflated_text)
{
	char p[128], *buf;
	size_t len;
	pf_err err = {0};

	cr_redirect_stderr();
	gz_put(at(p, sizeof(p), "bom.gz"), "wb", "\xef\xbb\xbfq\td\n", 7);
	cr_assert_eq(pf_read_text(&buf, &len, p, &err), PF_OK, "%s", err.msg);
	cr_assert_str_eq(buf, "q\td\n");
	free(buf);
	gz_put(at(p, sizeof(p), "nul.gz"), "wb", "a\nb\0c\n", 6);
	cr_assert_eq(pf_read_text(&buf, &len, p, &err), PF_EFORMAT);
	cr_assert_null(buf);
	cr_assert(strstr(err.where, "nul.gz:2") != NULL, "%s", err.where);
}

Test(gz, a_truncated_stream_is_an_error_naming_the_file)
{
	char p[128], q[128], *buf, *raw;
	size_t len, n;
	pf_err err = {0};
	pf_reader *r;

	/* large enough that the cut falls inside the deflate data */
	char *big = malloc(200000);
	for (size_t i = 0; i < 200000; i++)
		big[i] = (char)(i % 7 == 6 ? '\n' : 'a' + (int)(i * 7919 % 26));
	gz_put(at(p, sizeof(p), "full.gz"), "wb", big, 200000);
	raw = raw_get(p, &n);
	raw_put(at(q, sizeof(q), "cut.gz"), raw, n / 2);
	cr_assert_eq(pf_read_file(&buf, &len, q, &err), PF_EFORMAT);
	cr_assert_null(buf);
	cr_assert(strstr(err.where, "cut.gz") != NULL, "%s", err.where);
	cr_assert(strstr(err.msg, "truncated gzip data") != NULL, "%s",
	    err.msg);
	/* the stream reader too, after the lines it could inflate */
	cr_assert_eq(pf_reader_open(&r, q, &err), PF_OK);
	char *line;
	int rc;
	while ((rc = pf_reader_line(r, &line, &len, &err)) == 1)
		;
	cr_assert_eq(rc, PF_EFORMAT);
	cr_assert(strstr(err.msg, "truncated gzip data") != NULL);
	pf_reader_close(r);
	/* only the trailer missing: the data check cannot be made */
	raw_put(q, raw, n - 4);
	cr_assert_eq(pf_read_file(&buf, &len, q, &err), PF_EFORMAT);
	free(raw);
	free(big);
}

Test(gz, a_corrupt_stream_is_an_error_naming_the_file)
{
	char p[128], *buf, *raw;
	size_t len, n;
	pf_err err = {0};

	gz_put(at(p, sizeof(p), "bad.gz"), "wb", run, strlen(run));
	raw = raw_get(p, &n);
	raw[n - 6] ^= 0x55;	/* the CRC-32 of the data */
	raw_put(p, raw, n);
	cr_assert_eq(pf_read_file(&buf, &len, p, &err), PF_EFORMAT);
	cr_assert(strstr(err.msg, "corrupt gzip data") != NULL, "%s", err.msg);
	raw[n - 6] ^= 0x55;
	raw[3] = (char)0xe0;	/* reserved header flags */
	raw_put(p, raw, n);
	cr_assert_eq(pf_read_file(&buf, &len, p, &err), PF_EFORMAT);
	cr_assert(strstr(err.msg, "corrupt gzip data") != NULL, "%s", err.msg);
	cr_assert(strstr(err.where, "bad.gz") != NULL);
	free(raw);
}

Test(gz, the_reader_gives_lines_and_blocks_of_plain_and_gzip_files)
{
	static const char *const names[] = {"lines.txt", "lines.gz"};
	size_t n = 600000, total;
	char *text = malloc(n), p[128], *line;
	pf_err err = {0};

	/* short lines, one line longer than the reader's buffer, no final
	   newline */
	for (size_t i = 0; i < n; i++)
		text[i] = (char)(i % 50 == 49 ? '\n' : 'x');
	for (size_t i = 1000; i < 400000; i++)
		text[i] = 'y';
	text[n - 1] = 'x';
	for (int k = 0; k < 2; k++) {
		pf_reader *r;
		size_t len, got, lines = 0;
		at(p, sizeof(p), names[k]);
		if (k == 0)
			raw_put(p, text, n);
		else
			gz_put(p, "wb", text, n);
		cr_assert_eq(pf_reader_open(&r, p, &err), PF_OK);
		cr_assert_eq(pf_reader_plain_size(r) >= 0, k == 0);
		total = 0;
		while (pf_reader_line(r, &line, &len, &err) == 1) {
			cr_assert_eq(memcmp(line, text + total, len), 0);
			total += len;
			lines++;
		}
		cr_assert_eq(total, n);
		cr_assert_eq(line[len - 1], 'x');	/* no final newline */
		pf_reader_close(r);
		/* blocks */
		char *b = malloc(n + 10);
		cr_assert_eq(pf_reader_open(&r, p, &err), PF_OK);
		cr_assert_eq(pf_reader_read(r, b, 7, &got, &err), PF_OK);
		cr_assert_eq(got, 7);
		cr_assert_eq(pf_reader_read(r, b + 7, n + 3, &got, &err),
		    PF_OK);
		cr_assert_eq(got, n - 7);
		cr_assert_eq(memcmp(b, text, n), 0);
		pf_reader_close(r);
		free(b);
		cr_assert_gt(lines, 1000);
	}
	free(text);
}

Test(gz, has_ext_looks_through_gz)
{
	cr_assert(pf_path_has_ext("docs.jsonl", ".jsonl"));
	cr_assert(pf_path_has_ext("a/docs.jsonl.gz", ".jsonl"));
	cr_assert(!pf_path_has_ext("docs.jsonl.bz2", ".jsonl"));
	cr_assert(!pf_path_has_ext("l", ".jsonl"));
}
