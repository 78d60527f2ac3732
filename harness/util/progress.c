/*
 * harness/util/progress.c — see progress.h. The line starts with '\r' and
 * is padded, so each redraw covers the last; the end line ends with '\n'.
 */
#include <omp.h>
#include <stdio.h>
#include <time.h>

#include "harness/util/progress.h"

#define MIB	1048576.0

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void
pf_progress_start(pf_progress *p, int on, const char *what,
    const char *unit, size_t total)
{
	*p = (pf_progress){.on = on, .what = what, .unit = unit,
	    .total = total};
	if (on)
		p->t0 = p->last = now();
}

void
pf_progress_step(pf_progress *p, size_t n)
{
	size_t d;
	double t, rate;

	if (!p->on)
		return;
#pragma omp atomic capture
	d = p->done += n;
	if (omp_get_thread_num() != 0)
		return;
	t = now();
	if (t - p->last < 0.25 && d != p->total)
		return;
	p->last = t;
	rate = (double)d / (t - p->t0 > 1e-9 ? t - p->t0 : 1e-9);
	if (p->unit == PF_PROGRESS_BYTES)
		fprintf(stderr, "\r%s: %.1f/%.1f MiB, %.1f MiB/s   ", p->what,
		    (double)d / MIB, (double)p->total / MIB, rate / MIB);
	else if (p->total > 0)
		fprintf(stderr, "\r%s: %zu/%zu %s, %.0f/s, ETA %.0f s   ",
		    p->what, d, p->total, p->unit, rate, d < p->total ?
		    (double)(p->total - d) / (rate > 0 ? rate : 1) : 0.0);
	else
		fprintf(stderr, "\r%s: %zu %s, %.0f/s   ", p->what, d,
		    p->unit, rate);
}

void
pf_progress_end(pf_progress *p)
{
	if (!p->on)
		return;
	if (p->unit == PF_PROGRESS_BYTES)
		fprintf(stderr, "\r%s: %.1f MiB in %.2f s%20s\n", p->what,
		    (double)p->done / MIB, now() - p->t0, "");
	else
		fprintf(stderr, "\r%s: %zu %s in %.2f s%20s\n", p->what,
		    p->done, p->unit, now() - p->t0, "");
	p->on = 0;
}
