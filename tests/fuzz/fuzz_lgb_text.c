/*
 * tests/fuzz/fuzz_lgb_text.c — LightGBM text models (save_model("m.txt"),
 * categorical splits included) from any bytes. The body is
 * gbdt_target.h, shared with fuzz_xgb_json.c: the loader picks the format
 * from the first bytes, so the two targets differ only in their seeds
 * (tests/fuzz/corpus/lgb_text) and dictionary.
 */
#include "tests/fuzz/gbdt_target.h"
