/*
 * Unit tests of resolve/pinyin: a name's pinyin from its characters'
 * readings is byte for byte what ICU gives for the whole name.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>

#include "resolve/pinyin.h"

static sib_name_ctx *ctx;
static sib_pinyin *py;

static void setup(void)
{
    sib_error err;
    ctx = sib_name_ctx_new(&err);
    cr_assert_not_null(ctx, "%s", err.msg);
    py = sib_pinyin_new(ctx, &err);
    cr_assert_not_null(py, "%s", err.msg);
}

static void teardown(void)
{
    sib_pinyin_free(py);
    sib_name_ctx_free(ctx);
}

/* Both ways, with the same cap: same return value, same bytes. */
static void same_as_icu(const char *name, size_t cap)
{
    char a[128], b[128];
    memset(a, 'x', sizeof a);
    memset(b, 'y', sizeof b);
    int ra = sib_pinyin_of(py, ctx, name, a, cap);
    int rb = sib_name_pinyin(ctx, name, b, cap);
    cr_assert_eq(ra, rb, "%s: return %d, ICU %d", name, ra, rb);
    cr_assert_str_eq(a, b, "%s (cap %zu)", name, cap);
}

/* Plain names, surname readings at the start, the rules that read two
 * characters together (and the same characters elsewhere in a name). */
static const char *const names[] = {
    "陈伟", "王小明", "林志强", "蔡雅婷", "许文华", "黄丽娟", "施家豪", "洪美玲",
    "单雄信", "曾国藩", "解缙", "仇英", "朴正熙", "区志坚", "查良镛", "盖聂",
    "万俟卨", "长孙无忌", "澹台灭明", "令狐冲", "尉迟恭", "欧阳修", "上官婉儿",
    "李长江", "长江", "重庆人", "王沈阳", "秘鲁", "藏文", "张重阳", "沈万三",
    "翟志刚", "葛优", "莘莘", "隗嚣", "曾曾", "单单", "长长", "行", "一",
    "阿不都·热合曼", "李A", "A李", "JOHNSMITH", "", "王〇", "王𠀀明",
};

Test(unit_pinyin, names_equal_whole_name_icu, .init = setup, .fini = teardown)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        same_as_icu(names[i], 128);
    size_t composed, whole, readings;
    sib_pinyin_stats(py, &composed, &whole, &readings);
    cr_assert_gt(composed, 20, "plain names are composed from readings (%zu)", composed);
    cr_assert_gt(whole, 10, "names with characters read together go whole (%zu)", whole);
    cr_assert_gt(readings, 20);
}

Test(unit_pinyin, known_readings, .init = setup, .fini = teardown)
{
    char out[64];
    cr_assert_eq(sib_pinyin_of(py, ctx, "单雄信", out, sizeof out), SIB_OK);
    cr_assert_str_eq(out, "SHANXIONGXIN");
    cr_assert_eq(sib_pinyin_of(py, ctx, "陈伟", out, sizeof out), SIB_OK);
    cr_assert_str_eq(out, "CHENWEI");
}

Test(unit_pinyin, second_call_uses_the_table, .init = setup, .fini = teardown)
{
    char out[64];
    size_t c0, w0, r0, c1, w1, r1;
    sib_pinyin_of(py, ctx, "林志强", out, sizeof out);
    sib_pinyin_stats(py, &c0, &w0, &r0);
    sib_pinyin_of(py, ctx, "林志强", out, sizeof out);
    sib_pinyin_stats(py, &c1, &w1, &r1);
    cr_assert_eq(c1, c0 + 1);
    cr_assert_eq(w1, w0);
    cr_assert_eq(r1, r0, "no reading computed twice");
    cr_assert_str_eq(out, "LINZHIQIANG");
}

Test(unit_pinyin, long_names_and_small_caps, .init = setup, .fini = teardown)
{
    /* over SIB_PINYIN_MAX_CP code points: whole, same result */
    same_as_icu("王小明王小明王小明王小明王小明王小明", 128);
    /* cut to the cap like ICU's path: every cap from 1 up */
    for (size_t cap = 1; cap <= 16; cap++) {
        same_as_icu("黄丽娟", cap);
        same_as_icu("长孙无忌", cap);
        same_as_icu("JOHN", cap);
    }
}

struct thread_arg {
    int ok;
};

static void *worker(void *p)
{
    struct thread_arg *a = p;
    sib_error err;
    sib_name_ctx *own = sib_name_ctx_new(&err);
    a->ok = own != NULL;
    for (int rep = 0; own && rep < 20; rep++)
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            char x[128], y[128];
            sib_pinyin_of(py, own, names[i], x, sizeof x);
            sib_name_pinyin(own, names[i], y, sizeof y);
            a->ok &= strcmp(x, y) == 0;
        }
    sib_name_ctx_free(own);
    return NULL;
}

Test(unit_pinyin, threads_share_the_table, .init = setup, .fini = teardown)
{
    pthread_t t[4];
    struct thread_arg a[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&t[i], NULL, worker, &a[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 4; i++)
        cr_assert(a[i].ok, "thread %d", i);
}
