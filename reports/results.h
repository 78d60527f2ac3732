/*
 * reports/results.h — results.json, the complete machine-readable record of
 * a run (DESIGN.md "Outputs"). Plain data in, JSON out (jansson); the
 * schema is versioned ("schema": "preflight.results/1") and documented in
 * README "results.json".
 */
#ifndef PF_REPORTS_RESULTS_H
#define PF_REPORTS_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics/err.h"
#include "reports/model.h"

#define PF_RESULTS_SCHEMA	"preflight.results/1"

/* Writes the JSON document of r to f (keys in a fixed order). */
int	pf_results_write_json(const pf_report *r, FILE *f, pf_err *err);

#endif /* PF_REPORTS_RESULTS_H */
