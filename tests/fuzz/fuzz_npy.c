/*
 * tests/fuzz/fuzz_npy.c — NumPy .npy float32 matrices (harness/load/npy.h,
 * the dense stage's embeddings) from any bytes: the magic, the version,
 * the header dict and a data size that must match the shape. The same
 * bytes are then read as the ids file that goes with an .npy (one id a
 * line), the other reader of that header.
 */
#include <assert.h>
#include <string.h>

#include "harness/load/npy.h"
#include "tests/fuzz/input.h"

int	LLVMFuzzerInitialize(int *argc, char ***argv);
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fuzz_file in;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_file_open(&in, NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pf_npy *a = NULL;
	pf_ids *ids = NULL;
	pf_err err = {0};

	fuzz_file_set(&in, data, size);
	int rc = pf_npy_read(&a, in.path, &err);
	fuzz_say_err("npy", rc, &err);
	if (rc == PF_OK) {
		assert(a->ndim == 1 || a->ndim == 2);
		assert(a->ndim == 2 || a->cols == 1);
		/* the data is exactly what the header announced */
		assert(a->rows * a->cols * sizeof(float) <= size);
		fuzz_touch(a->data, a->rows * a->cols * sizeof(*a->data));
	} else
		assert(a == NULL && err.code != PF_OK);
	pf_npy_free(a);
	rc = pf_ids_read(&ids, in.path, &err);
	fuzz_say_err("ids", rc, &err);
	if (rc == PF_OK) {
		for (size_t i = 0; i < ids->n; i++)
			assert(ids->id[i] != NULL && ids->id[i][0] != '\0' &&
			    strpbrk(ids->id[i], " \t\n") == NULL);
	} else
		assert(ids == NULL);
	pf_ids_free(ids);
	return 0;
}
