/* names.c — surnames, given names and employer-name parts, and name damage. */
#include "gen/names.h"
#include "gen/fault.h"
#include "common/error.h"

#include <stdio.h>
#include <string.h>

/* Shishi's Minnan surnames, weights roughly by local frequency. */
static const char *const local_sn[] = {
    "蔡", "陈", "林", "王", "洪", "施", "黄", "吴", "李", "许", "邱", "郭",
    "张", "杨", "刘", "苏", "庄", "高", "颜", "龚", "曾", "郑", "卢", "姚" };
static const double local_sw[] = {
    9, 9, 8, 6, 6, 6, 5, 4, 4, 4, 3, 3, 3, 2, 2, 2, 2, 2, 1.5, 1.5, 1.5, 1.5, 1, 1 };
/* National distribution (migrants). */
static const char *const nat_sn[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马",
    "朱", "胡", "郭", "何", "罗", "高", "林", "谢", "宋", "唐", "许", "邓", "冯",
    "韩", "曹", "曾", "彭", "肖", "蔡", "潘", "田", "董", "袁", "余", "蒋", "杜", "龙" };
static const double nat_sw[] = {
    7.1, 7.0, 6.7, 5.4, 4.5, 3.1, 2.4, 2.3, 2.0, 1.9, 1.7, 1.5, 1.4, 1.3, 1.3,
    1.2, 1.2, 1.1, 1.1, 1.1, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8,
    0.8, 0.7, 0.7, 0.6, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5 };
static const char *const male_g[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "辉", "华", "建",
    "国", "志", "文", "平", "俊", "峰", "鹏", "鑫", "浩", "宇", "晨", "阳", "振",
    "海", "荣", "东", "龙", "家", "成", "福", "兴", "德", "金", "锦", "泉", "清",
    "榕", "彬", "毅", "坤", "铭", "煌", "炜", "育", "水", "发", "聪" };
static const char *const female_g[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧",
    "莉", "萍", "红", "琳", "颖", "倩", "洁", "美", "秀", "英", "华", "梅", "兰",
    "凤", "珍", "玉", "淑", "惠", "月", "彩", "琼", "碧", "佳", "思", "欣", "雅",
    "晶", "瑜", "蓉", "春", "菊", "素", "娇", "丹", "萱", "怡", "真" };
/* Look-alike or sound-alike replacements for name_typo. */
static const char *const typo_pool[] = {
    "炜", "玮", "伟", "苇", "敏", "闽", "明", "铭", "鸣", "华", "桦", "骅", "静",
    "婧", "晶", "丽", "莉", "俐", "辉", "晖", "慧", "惠", "蕙", "杰", "洁", "婕" };
static const char *const viet[] = { "NGUYEN THI", "TRAN THI", "LE THI", "PHAM THI", "HOANG THI" };
static const char *const viet_g[] = { "HOA", "LAN", "MAI", "HUONG", "THU", "NGA", "LINH" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *sib_gen_surname(sib_rng *r, int local)
{
    if (local)
        return local_sn[sib_rng_weighted(r, local_sw, N(local_sw))];
    return nat_sn[sib_rng_weighted(r, nat_sw, N(nat_sw))];
}

void sib_gen_given(sib_rng *r, int gender, char *out, size_t cap)
{
    const char *const *g = gender == 2 ? female_g : male_g;
    size_t ng = gender == 2 ? N(female_g) : N(male_g);
    if (sib_rng_chance(r, 0.25))
        snprintf(out, cap, "%s", g[sib_rng_below(r, ng)]);
    else
        snprintf(out, cap, "%s%s", g[sib_rng_below(r, ng)], g[sib_rng_below(r, ng)]);
}

void sib_gen_name(sib_rng *r, int gender, int local, char *out, size_t cap)
{
    if (!local && gender == 2 && sib_rng_chance(r, 0.01)) {
        snprintf(out, cap, "%s %s", viet[sib_rng_below(r, N(viet))], viet_g[sib_rng_below(r, N(viet_g))]);
        return;
    }
    char given[16];
    sib_gen_given(r, gender, given, sizeof given);
    snprintf(out, cap, "%s%s", sib_gen_surname(r, local), given);
}

int sib_gen_name_has_latin(const char *name)
{
    for (const char *p = name; *p; p++)
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
            return 1;
    return 0;
}

/* Byte length of the UTF-8 sequence starting with c. */
static size_t u8len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Number of code points in s. */
static size_t u8count(const char *s)
{
    size_t n = 0;
    for (size_t i = 0; s[i]; i += u8len((unsigned char)s[i]))
        n++;
    return n;
}

/* Byte offset of the k-th code point of s. */
static size_t u8offset(const char *s, size_t k)
{
    size_t i = 0;
    while (k-- && s[i])
        i += u8len((unsigned char)s[i]);
    return i;
}

int sib_gen_name_mutate(int kind, const char *name, sib_rng *r, char *out, size_t cap,
                        char *detail, size_t dcap)
{
    size_t len = strlen(name), nch = u8count(name);
    if (cap < 6400 || len + 8 > cap)
        return SIB_ERR;
    switch (kind) {
    case SIB_F_NAME_SPACE: {
        if (nch < 2)
            return SIB_ERR;
        size_t at = u8offset(name, (size_t)sib_rng_range(r, 1, (long)nch - 1));
        const char *sp = sib_rng_chance(r, 0.5) ? " " : "\u3000";
        snprintf(out, cap, "%.*s%s%s", (int)at, name, sp, name + at);
        snprintf(detail, dcap, "%s", sp[0] == ' ' ? "ascii" : "u3000");
        return SIB_OK;
    }
    case SIB_F_NAME_FULLWIDTH: {
        if (!sib_gen_name_has_latin(name))
            return SIB_ERR;
        size_t n = 0;
        for (const char *p = name; *p && n + 4 < cap; p++) {
            unsigned char c = (unsigned char)*p;
            if (c > 0x20 && c < 0x7F) {
                unsigned cp = 0xFF01u + (c - 0x21u);
                out[n++] = (char)(0xE0 | (cp >> 12));
                out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                out[n++] = (char)(0x80 | (cp & 0x3F));
            } else {
                out[n++] = (char)c;
            }
        }
        out[n] = 0;
        snprintf(detail, dcap, "fullwidth");
        return SIB_OK;
    }
    case SIB_F_NAME_TYPO: {
        if (nch < 2 || sib_gen_name_has_latin(name))
            return SIB_ERR;
        size_t k = (size_t)sib_rng_range(r, 1, (long)nch - 1);   /* keep the surname */
        size_t at = u8offset(name, k), cl = u8len((unsigned char)name[at]);
        const char *rep;
        do
            rep = typo_pool[sib_rng_below(r, N(typo_pool))];
        while (strncmp(rep, name + at, cl) == 0);
        snprintf(out, cap, "%.*s%s%s", (int)at, name, rep, name + at + cl);
        snprintf(detail, dcap, "char %zu", k + 1);
        return SIB_OK;
    }
    case SIB_F_HOSTILE_NAME: {
        int v = (int)sib_rng_below(r, 8);
        switch (v) {
        case 0: snprintf(out, cap, "%.*s,%s", (int)u8offset(name, 1), name, name + u8offset(name, 1)); break;
        case 1: snprintf(out, cap, "\"%s\"", name); break;
        case 2: snprintf(out, cap, "%.*s\n%s", (int)u8offset(name, 1), name, name + u8offset(name, 1)); break;
        case 3: snprintf(out, cap, "=%s", name); break;
        case 4: snprintf(out, cap, "+%s", name); break;
        case 5: snprintf(out, cap, "-%s", name); break;
        case 6: snprintf(out, cap, "@%s", name); break;
        default: {
            /* A 2,000-character name: the name, then a filler, cut at 2,000. */
            size_t n = 0, k = 0;
            for (; k < 2000; k++) {
                const char *src = k < nch ? name + u8offset(name, k) : "林";
                size_t cl = u8len((unsigned char)*src);
                memcpy(out + n, src, cl);
                n += cl;
            }
            out[n] = 0;
            break;
        }
        }
        static const char *const vn[8] = { "comma", "quotes", "newline", "leading=", "leading+",
                                           "leading-", "leading@", "2000chars" };
        snprintf(detail, dcap, "%s", vn[v]);
        return SIB_OK;
    }
    default:
        return SIB_ERR;
    }
}
