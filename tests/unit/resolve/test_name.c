/*
 * Unit tests of resolve/name: forms and levels of Chinese names.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "resolve/name.h"

static sib_name_ctx *ctx;

static void setup(void)
{
    sib_error err;
    ctx = sib_name_ctx_new(&err);
    cr_assert_not_null(ctx, "%s", err.msg);
}

static void teardown(void)
{
    sib_name_ctx_free(ctx);
}

Test(unit_name, normalize)
{
    char out[64];
    cr_assert_eq(sib_name_normalize(" 王\xe3\x80\x80小 明 ", out, sizeof out), 3);
    cr_assert_str_eq(out, "王小明");
    sib_name_normalize("\xef\xbd\x97\xef\xbd\x81\xef\xbd\x8e\xef\xbd\x87 li", out, sizeof out); /* ｗａｎｇ */
    cr_assert_str_eq(out, "WANGLI");
    cr_assert_eq(sib_name_normalize(NULL, out, sizeof out), 0);
    cr_assert_str_eq(out, "");
}

Test(unit_name, simplified_and_pinyin, .init = setup, .fini = teardown)
{
    char s[64], p[64];
    cr_assert_eq(sib_name_simplify(ctx, "陳偉", s, sizeof s), SIB_OK);
    cr_assert_str_eq(s, "陈伟");
    cr_assert_eq(sib_name_pinyin(ctx, "陈伟", p, sizeof p), SIB_OK);
    cr_assert_str_eq(p, "CHENWEI");
    /* surname reading: 单 as a surname is Shan, not Dan */
    cr_assert_eq(sib_name_pinyin(ctx, "单雄信", p, sizeof p), SIB_OK);
    cr_assert_str_eq(p, "SHANXIONGXIN");
}

Test(unit_name, levels, .init = setup, .fini = teardown)
{
    cr_assert_eq(sib_name_compare(ctx, "王小明", "王小明"), SIB_NAME_EXACT);
    cr_assert_eq(sib_name_compare(ctx, "陳偉", "陈伟"), SIB_NAME_SIMPLIFIED);
    cr_assert_eq(sib_name_compare(ctx, "张三", "章三"), SIB_NAME_PINYIN);
    cr_assert_eq(sib_name_compare(ctx, "王小明", "王大明"), SIB_NAME_SIMILAR);
    cr_assert_eq(sib_name_compare(ctx, "王小明", "王明"), SIB_NAME_SIMILAR);   /* one deletion */
    cr_assert_eq(sib_name_compare(ctx, "王小明", "李大伟"), SIB_NAME_DIFFERENT);
    cr_assert_eq(sib_name_compare(ctx, "王小明", ""), SIB_NAME_MISSING);
    cr_assert_str_eq(sib_name_level_text(SIB_NAME_PINYIN), "pinyin");
}

Test(unit_name, code_points_not_bytes)
{
    /* two Han characters differ in one code point = 3 bytes each */
    cr_assert_eq(sib_name_edit_distance("王小明", "王大明", 3), 1);
    cr_assert_eq(sib_name_edit_distance("王小明", "小王明", 3), 1);   /* adjacent transposition */
    cr_assert_eq(sib_name_edit_distance("王小明", "李大伟", 2), 3);   /* capped at max + 1 */
    cr_assert_eq(sib_name_length("王小明"), 3);
    double jw = sib_name_jaro_winkler("MARTHA", "MARHTA");
    cr_assert(jw > 0.960 && jw < 0.962, "jw %f", jw);         /* the textbook 0.961 */
    cr_assert_float_eq(sib_name_jaro_winkler("王小明", "王小明"), 1.0, 1e-12);
    cr_assert_float_eq(sib_name_jaro_winkler("", "王"), 0.0, 1e-12);
}
