/*
 * bench/load_make.c — an MSLR-shaped SVMlight file for bench/load.sh:
 * ROWS rows of 136 features, ~120 rows a query, grades 0-4, values as
 * MSLR-WEB writes them (small counts, 0/1 flags, 6-decimal ratios, large
 * scores). Deterministic (xorshift64).
 *   load_make ROWS > FILE
 */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long s = 88172645463325252ULL;

static unsigned long long
rnd(void)
{
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	return s;
}

int
main(int argc, char **argv)
{
	long rows = argc > 1 ? atol(argv[1]) : 1000000, q = 1, inq = 0;
	long qlen = 120;

	for (long r = 0; r < rows; r++) {
		if (inq == qlen) {
			q++;
			inq = 0;
			qlen = 60 + (long)(rnd() % 120);
		}
		inq++;
		printf("%d qid:%ld", (int)(rnd() % 5), q);
		for (int j = 1; j <= 136; j++) {
			unsigned long long u = rnd();
			switch (j % 4) {
			case 0:		/* counts */
				printf(" %d:%d", j, (int)(u % 40));
				break;
			case 1:		/* flags */
				printf(" %d:%d", j, (int)(u & 1));
				break;
			case 2:		/* ratios */
				printf(" %d:%.6f", j, (double)(u % 1000000) /
				    1e6);
				break;
			default:	/* scores */
				printf(" %d:%.6f", j, (double)(u % 100000000) /
				    1e4);
			}
		}
		putchar('\n');
	}
	return 0;
}
