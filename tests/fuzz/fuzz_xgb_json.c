/*
 * tests/fuzz/fuzz_xgb_json.c — XGBoost JSON models (gbtree, dart and
 * gblinear boosters, as save_model("m.json") writes them) from any bytes.
 * The body is gbdt_target.h, shared with fuzz_lgb_text.c: the loader
 * picks the format from the first bytes, so the two targets differ only
 * in their seeds (tests/fuzz/corpus/xgb_json) and dictionary.
 */
#include "tests/fuzz/gbdt_target.h"
