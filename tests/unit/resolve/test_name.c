/*
 * Unit tests of resolve/name: forms and levels of Chinese names.
 */
#include <criterion/criterion.h>
#include <pthread.h>
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

/* The full OSA table, for the banded one in name.c: the distance, uncapped. */
static int osa_full(const char *a, const char *b)
{
    int la = (int)strlen(a), lb = (int)strlen(b), d[24][24];
    for (int i = 0; i <= la; i++)
        d[i][0] = i;
    for (int j = 0; j <= lb; j++)
        d[0][j] = j;
    for (int i = 1; i <= la; i++)
        for (int j = 1; j <= lb; j++) {
            int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

Test(unit_name, edit_distance_equals_the_full_table)
{
    /* random strings over a small alphabet (many near matches), every cap */
    unsigned x = 12345;
    char a[20], b[20];
    for (int t = 0; t < 20000; t++) {
        int la, lb;
        x = x * 1103515245u + 12345u;
        la = (int)(x >> 16) % 19;
        for (int i = 0; i < la; i++) {
            x = x * 1103515245u + 12345u;
            a[i] = (char)('0' + (x >> 16) % 3);
        }
        a[la] = '\0';
        memcpy(b, a, sizeof b);
        lb = la;
        x = x * 1103515245u + 12345u;
        for (int e = (int)(x >> 16) % 5; e > 0; e--) {     /* up to 4 random edits */
            x = x * 1103515245u + 12345u;
            unsigned r = x >> 16;
            int pos = lb ? (int)(r / 4) % lb : 0;
            if (r % 4 == 0 && lb < 18) {                    /* insert */
                memmove(b + pos + 1, b + pos, (size_t)(lb - pos + 1));
                b[pos] = (char)('0' + r % 3);
                lb++;
            } else if (r % 4 == 1 && lb > 0) {              /* delete */
                memmove(b + pos, b + pos + 1, (size_t)(lb - pos));
                lb--;
            } else if (r % 4 == 2 && pos + 1 < lb) {        /* transpose */
                char c = b[pos];
                b[pos] = b[pos + 1];
                b[pos + 1] = c;
            } else if (lb > 0) {                            /* substitute */
                b[pos] = (char)('0' + (r / 7) % 3);
            }
        }
        int full = osa_full(a, b);
        for (int max = 0; max <= 5; max++) {
            int want = full > max ? max + 1 : full;
            cr_assert_eq(sib_name_edit_distance(a, b, max), want, "'%s' '%s' max %d: %d, want %d", a, b, max,
                         sib_name_edit_distance(a, b, max), want);
        }
    }
}

/* The pinyin composed by character is byte for byte the whole-name one:
 * both ways, with the same cap, the same return value and bytes. */
static void pinyin_same_as_whole(const char *name, size_t cap)
{
    char a[128], b[128];
    memset(a, 'x', sizeof a);
    memset(b, 'y', sizeof b);
    int ra = sib_name_pinyin(ctx, name, a, cap);
    int rb = sib_name_pinyin_whole(ctx, name, b, cap);
    cr_assert_eq(ra, rb, "%s: return %d, ICU %d", name, ra, rb);
    cr_assert_str_eq(a, b, "%s (cap %zu)", name, cap);
}

/* Plain names, surname readings at the start, the rules that read two
 * characters together (and the same characters elsewhere in a name). */
static const char *const pinyin_names[] = {
    "陈伟", "王小明", "林志强", "蔡雅婷", "许文华", "黄丽娟", "施家豪", "洪美玲",
    "单雄信", "曾国藩", "解缙", "仇英", "朴正熙", "区志坚", "查良镛", "盖聂",
    "万俟卨", "长孙无忌", "澹台灭明", "令狐冲", "尉迟恭", "欧阳修", "上官婉儿",
    "李长江", "长江", "重庆人", "王沈阳", "秘鲁", "藏文", "张重阳", "沈万三",
    "翟志刚", "葛优", "莘莘", "隗嚣", "曾曾", "单单", "长长", "行", "一",
    "阿不都·热合曼", "李A", "A李", "JOHNSMITH", "", "王〇", "王𠀀明",
};

Test(unit_name, pinyin_names_equal_whole_name_icu, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < sizeof pinyin_names / sizeof pinyin_names[0]; i++)
        pinyin_same_as_whole(pinyin_names[i], 128);
    size_t composed, whole, readings;
    sib_name_pinyin_stats(ctx, &composed, &whole, &readings);
    cr_assert_gt(composed, 20, "plain names are composed from readings (%zu)", composed);
    cr_assert_gt(whole, 10, "names with characters read together go whole (%zu)", whole);
    cr_assert_gt(readings, 20);
}

Test(unit_name, pinyin_known_readings, .init = setup, .fini = teardown)
{
    char out[64];
    cr_assert_eq(sib_name_pinyin(ctx, "单雄信", out, sizeof out), SIB_OK);
    cr_assert_str_eq(out, "SHANXIONGXIN");
    cr_assert_eq(sib_name_pinyin(ctx, "陈伟", out, sizeof out), SIB_OK);
    cr_assert_str_eq(out, "CHENWEI");
}

Test(unit_name, pinyin_second_call_uses_the_table, .init = setup, .fini = teardown)
{
    char out[64];
    size_t c0, w0, r0, c1, w1, r1;
    sib_name_pinyin(ctx, "林志强", out, sizeof out);
    sib_name_pinyin_stats(ctx, &c0, &w0, &r0);
    sib_name_pinyin(ctx, "林志强", out, sizeof out);
    sib_name_pinyin_stats(ctx, &c1, &w1, &r1);
    cr_assert_eq(c1, c0 + 1);
    cr_assert_eq(w1, w0);
    cr_assert_eq(r1, r0, "no reading computed twice");
    cr_assert_str_eq(out, "LINZHIQIANG");
}

Test(unit_name, pinyin_long_names_and_small_caps, .init = setup, .fini = teardown)
{
    /* over 16 code points: whole, same result */
    pinyin_same_as_whole("王小明王小明王小明王小明王小明王小明", 128);
    /* cut to the cap like ICU's path: every cap from 1 up */
    for (size_t cap = 1; cap <= 16; cap++) {
        pinyin_same_as_whole("黄丽娟", cap);
        pinyin_same_as_whole("长孙无忌", cap);
        pinyin_same_as_whole("JOHN", cap);
    }
}

struct thread_arg {
    int ok;
};

static void *pinyin_worker(void *p)
{
    struct thread_arg *a = p;
    sib_error err;
    sib_name_ctx *own = sib_name_ctx_new(&err);
    a->ok = own != NULL;
    for (int rep = 0; own && rep < 20; rep++)
        for (size_t i = 0; i < sizeof pinyin_names / sizeof pinyin_names[0]; i++) {
            char x[128], y[128];
            sib_name_pinyin(own, pinyin_names[i], x, sizeof x);
            sib_name_pinyin_whole(own, pinyin_names[i], y, sizeof y);
            a->ok &= strcmp(x, y) == 0;
        }
    sib_name_ctx_free(own);
    return NULL;
}

Test(unit_name, pinyin_threads_each_with_their_own_context, .init = setup, .fini = teardown)
{
    pthread_t t[4];
    struct thread_arg a[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, pinyin_worker, &a[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++)
        cr_assert(a[i].ok, "thread %d", i);
}
