/*
 * json.h — sibatch's one door to cJSON. Modules that read or write JSON
 * (config, manifest, reconcile, report) include this header, not cJSON's,
 * so the library can be replaced in one place.
 */
#ifndef SIB_COMMON_JSON_H
#define SIB_COMMON_JSON_H

#include <cJSON.h>

#include "common/error.h"

/* Reads and parses a JSON file; NULL with err (file, line of the fault). */
cJSON *sib_json_load(const char *path, sib_error *err);
/* A string member or def when missing or not a string. */
const char *sib_json_str(const cJSON *obj, const char *key, const char *def);
/* A number member or def when missing or not a number. */
double sib_json_num(const cJSON *obj, const char *key, double def);

#endif
