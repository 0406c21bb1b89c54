/* json.c — cJSON behind one module (include/common/json.h). */
#include "common/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cJSON *sib_json_load(const char *path, sib_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        sib_error_set(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *p = realloc(text, cap + 1);
            if (!p) {
                free(text);
                fclose(f);
                sib_error_set(err, "%s: out of memory", path);
                return NULL;
            }
            text = p;
        }
        size_t n = fread(text + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(text);
        sib_error_set(err, "%s: read error", path);
        return NULL;
    }
    text[len] = '\0';
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (!root) {
        int line = 1;
        for (const char *p = text; end && p < end; p++)
            line += (*p == '\n');
        sib_error_set(err, "%s: invalid JSON near line %d", path, line);
    }
    free(text);
    return root;
}

const char *sib_json_str(const cJSON *obj, const char *key, const char *def)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(it) ? it->valuestring : def;
}

double sib_json_num(const cJSON *obj, const char *key, double def)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(it) ? it->valuedouble : def;
}
