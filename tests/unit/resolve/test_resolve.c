/*
 * Unit tests of resolve/resolve: keyed joins, probable links, review,
 * unresolved persons, determinism. A background of 3000 keyed persons with
 * distinct names and spread birth dates makes the scores realistic.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolve/idnum.h"
#include "resolve/resolve.h"

#define NBG 3000
#define MAXR (NBG + 512)

typedef struct fixture {
    sib_person_rec recs[MAXR];
    char ids[MAXR][24];
    char names[MAXR][32];
    size_t n;
} fixture;

static fixture fx;

/* A valid key from region, birth date and sequence. */
static void make_key(char out[19], const char *region, int birth, int seq)
{
    char first[32];
    snprintf(first, sizeof first, "%.6s%08d%03d", region, birth, seq % 1000);
    memcpy(out, first, 17);
    out[17] = sib_idnum_check_char(first);
    out[18] = '\0';
}

static size_t add(const char *id, const char *name, const char *gender, int birth, const char *town, int64_t unit)
{
    size_t i = fx.n++;
    sib_person_rec *r = &fx.recs[i];
    memset(r, 0, sizeof *r);
    r->source = SIB_SRC_ENROLLMENT;
    r->source_id = (int64_t)i + 1;
    if (id) {
        snprintf(fx.ids[i], sizeof fx.ids[i], "%s", id);
        r->id_number = fx.ids[i];
    }
    if (name) {
        snprintf(fx.names[i], sizeof fx.names[i], "%s", name);
        r->name = fx.names[i];
    }
    r->gender = gender;
    r->birth_date = birth;
    r->town_code = town;
    r->unit_id = unit;
    return i;
}

static void background(void)
{
    static const char *sur[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
    static const char *giv[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
                                "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平"};
    fx.n = 0;
    for (int i = 0; i < NBG; i++) {
        char key[19], name[32];
        int birth = 19500101 + (i % 40) * 10000 + (i / 40 % 12) * 100 + (i % 28);
        make_key(key, "350581", birth, i);
        snprintf(name, sizeof name, "%s%s%s", sur[i % 10], giv[i / 10 % 20], giv[i / 200 % 20]);
        add(key, name, (i % 2) ? "1" : "2", birth, "350581100", 1000 + i % 50);
    }
}

static sib_resolver *run(sib_resolution *out)
{
    sib_error err;
    sib_resolver *r = sib_resolver_new(202512, 12.0, 6.0, &err);
    cr_assert_not_null(r, "%s", err.msg);
    cr_assert_eq(sib_resolver_run(r, fx.recs, fx.n, out, &err), SIB_OK, "%s", err.msg);
    return r;
}

static sib_resolution out[MAXR];

Test(unit_resolve, keyed_records_join_their_person)
{
    char key[19], lower[24], legacy[16];
    background();
    make_key(key, "350521", 19800101, 13);          /* male, 15-digit legacy form exists */
    snprintf(lower, sizeof lower, " %s ", key);
    snprintf(legacy, sizeof legacy, "350521800101013");
    size_t a = add(key, "林大山", "1", 19800101, "350581101", 7);
    size_t b = add(lower, "林大山", "1", 19800101, "350581101", 7);
    size_t c = add(legacy, "林大山", "1", 19800101, NULL, 0);
    sib_resolver *r = run(out);
    cr_assert_eq(out[a].kind, SIB_LINK_EXACT);
    cr_assert_eq(out[b].kind, SIB_LINK_NORMALIZED);
    cr_assert_eq(out[c].kind, SIB_LINK_NORMALIZED);
    cr_assert_eq(out[a].person, out[b].person);
    cr_assert_eq(out[a].person, out[c].person);
    cr_assert_str_eq(sib_resolver_person_key(r, out[a].person), key);
    cr_assert_eq(sib_resolver_person_first_record(r, out[a].person), (int64_t)a);
    cr_assert_eq(sib_resolver_npersons(r), NBG + 1);
    /* numbered in order of first appearance */
    cr_assert_eq(out[0].person, 0);
    cr_assert_eq(out[1].person, 1);
    cr_assert_eq(out[a].person, NBG);
    sib_resolver_free(r);
}

Test(unit_resolve, typo_and_transposition_link_probably)
{
    char key[19], typo[19], swap[19];
    background();
    make_key(key, "350581", 19750615, 231);
    memcpy(typo, key, 19);
    typo[16] = typo[16] == '9' ? '0' : (char)(typo[16] + 1);  /* breaks the check */
    memcpy(swap, key, 19);
    swap[14] = key[15];
    swap[15] = key[14];
    cr_assert_neq(swap[14], swap[15]);
    size_t a = add(key, "蔡文彬", "1", 19750615, "350581102", 9);
    size_t b = add(typo, "蔡文彬", "1", 0, "350581102", 9);
    size_t c = add(swap, "蔡文彬", "1", 19750615, NULL, 0);
    sib_resolver *r = run(out);
    cr_assert_eq(out[b].id_status, SIB_ID_CHECK);
    cr_assert_eq(out[b].kind, SIB_LINK_PROBABLE);
    cr_assert_eq(out[b].person, out[a].person);
    cr_assert_eq(out[c].kind, SIB_LINK_PROBABLE);
    cr_assert_eq(out[c].person, out[a].person);
    cr_assert_gt(out[c].score, 12.0f);
    char buf[128];
    sib_resolver_evidence_text(out[c].evidence, buf, sizeof buf);
    cr_assert(strstr(buf, "id=one_edit") && strstr(buf, "name=exact") && strstr(buf, "birth=exact"), "%s", buf);
    cr_assert_eq(sib_resolver_npersons(r), NBG + 1);
    sib_resolver_free(r);
}

/* The ID level of a broken ID two substitutions away from the key, and of
 * one sharing few characters with it: the second is proven far by the
 * digits' counts alone, the first must still reach the edit distance. */
Test(unit_resolve, id_levels_two_edits_and_far)
{
    char key[19], two[19];
    background();
    make_key(key, "350581", 19681120, 517);
    memcpy(two, key, 19);
    two[2] = two[2] == '9' ? '1' : (char)(two[2] + 1);
    two[12] = two[12] == '9' ? '1' : (char)(two[12] + 1);
    size_t a = add(key, "欧阳明华", "1", 19681120, "350581103", 11);
    size_t b = add(two, "欧阳明华", "1", 19681120, "350581103", 11);
    size_t c = add("440300777777777777", "欧阳明华", "1", 19681120, "350581103", 11);
    sib_resolver *r = run(out);
    cr_assert_neq(out[b].id_status, SIB_ID_VALID);
    cr_assert_neq(out[c].id_status, SIB_ID_VALID);
    char buf[128];
    sib_resolver_evidence_text(out[b].evidence, buf, sizeof buf);
    cr_assert(strstr(buf, "id=two_edit") != NULL, "%s", buf);
    cr_assert_eq(out[b].kind, SIB_LINK_PROBABLE);
    cr_assert_eq(out[b].person, out[a].person);
    sib_resolver_evidence_text(out[c].evidence, buf, sizeof buf);
    cr_assert(strstr(buf, "id=different") != NULL && strstr(buf, "name=exact") != NULL, "%s", buf);
    sib_resolver_free(r);
}

/* Broken IDs two edits from a key (a transposition and a substitution,
 * two substitutions), under a homophone name and another employer, in a
 * birth-date block of 400 persons (too many to score them all): only the
 * block's two-edit test (key_within_two) meets the person. */
Test(unit_resolve, two_edit_id_found_in_birth_block_without_name)
{
    static const char *giv[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                                "甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"};
    char key[19], two[19], subs[19];
    background();
    for (int k = 0; k < 400; k++) {         /* born the same day, far in ID and name */
        char kk[19], name[32];
        make_key(kk, "440300", 19700303, k);
        snprintf(name, sizeof name, "郑%s%s", giv[k % 20], giv[k / 20]);
        add(kk, name, "2", 19700303, "350581104", 2000 + k);
    }
    make_key(key, "350581", 19700303, 517);                 /* ...517 */
    memcpy(two, key, 19);
    two[14] = '1';
    two[15] = '5';                                          /* ...157 */
    two[16] = '9';                                          /* ...159 */
    memcpy(subs, key, 19);
    subs[14] = '6';
    subs[16] = '8';                                         /* ...618 */
    size_t a = add(key, "欧阳明华", "1", 19700303, "350581103", 11);
    size_t q[2] = { add(two, "欧阳名华", "1", 19700303, "350581103", 12),    /* a homophone */
                    add(subs, "欧阳名华", "1", 19700303, "350581103", 13) };
    sib_resolver *r = run(out);
    for (int i = 0; i < 2; i++) {
        size_t b = q[i];
        char buf[128];
        cr_assert_neq(out[b].id_status, SIB_ID_VALID, "%s", fx.ids[b]);
        sib_resolver_evidence_text(out[b].evidence, buf, sizeof buf);
        cr_assert(strstr(buf, "id=two_edit") != NULL && strstr(buf, "name=pinyin") != NULL, "%s: [%s]",
                  fx.ids[b], buf);
        cr_assert(out[b].kind == SIB_LINK_PROBABLE ? out[b].person == out[a].person : sib_resolver_nreview(r) == 2);
    }
    sib_resolver_free(r);
}

Test(unit_resolve, missing_id_needs_more_than_name_and_birth)
{
    char key[19];
    background();
    make_key(key, "350581", 19881203, 442);
    size_t a = add(key, "洪雅婷", "2", 19881203, "350581104", 77);
    /* same name, birth, gender, town and employer: linked */
    size_t b = add(NULL, "洪雅婷", "2", 19881203, "350581104000", 77);
    /* name, birth and gender alone: not enough, own unresolved person */
    size_t c = add("3.50581E+17", "洪雅婷", "2", 19881203, NULL, 0);
    sib_resolver *r = run(out);
    cr_assert_eq(out[b].id_status, SIB_ID_MISSING);
    cr_assert_eq(out[b].kind, SIB_LINK_PROBABLE, "score %f", out[b].score);
    cr_assert_eq(out[b].person, out[a].person);
    cr_assert_eq(out[c].id_status, SIB_ID_LENGTH);
    cr_assert_neq(out[c].kind, SIB_LINK_PROBABLE, "score %f", out[c].score);
    cr_assert_neq(out[c].person, out[a].person);
    cr_assert_null(sib_resolver_person_key(r, out[c].person));
    cr_assert_eq(sib_resolver_person_first_record(r, out[c].person), (int64_t)c);
    sib_resolver_free(r);
}

Test(unit_resolve, namesakes_go_to_review_not_link)
{
    char k1[19], k2[19];
    background();
    make_key(k1, "350581", 19900420, 111);
    make_key(k2, "350583", 19900420, 113);
    size_t a = add(k1, "许志明", "1", 19900420, "350581105", 5);
    size_t b = add(k2, "许志明", "1", 19900420, "350581105", 5);
    size_t c = add(NULL, "许志明", "1", 19900420, "350581105", 5);
    sib_resolver *r = run(out);
    cr_assert_neq(out[a].person, out[b].person, "two valid keys never merge");
    cr_assert_eq(out[c].kind, SIB_LINK_UNRESOLVED);
    cr_assert_eq(sib_resolver_nreview(r), 1);
    size_t rec;
    int32_t cand;
    float score;
    uint32_t ev;
    sib_resolver_review(r, 0, &rec, &cand, &score, &ev);
    cr_assert_eq(rec, c);
    cr_assert(cand == out[a].person || cand == out[b].person);
    cr_assert_geq(score, 6.0f);
    sib_resolver_free(r);
}

Test(unit_resolve, unresolved_records_never_merge)
{
    background();
    size_t a = add(NULL, "无名氏", "1", 19010101, NULL, 0);
    size_t b = add(NULL, "无名氏", "1", 19010101, NULL, 0);
    sib_resolver *r = run(out);
    cr_assert_eq(out[a].kind, SIB_LINK_UNRESOLVED);
    cr_assert_eq(out[b].kind, SIB_LINK_UNRESOLVED);
    cr_assert_neq(out[a].person, out[b].person);
    cr_assert_eq(sib_resolver_npersons(r), NBG + 2);
    sib_resolver_free(r);
}

Test(unit_resolve, traditional_name_with_typo_id)
{
    char key[19], typo[19];
    background();
    make_key(key, "350581", 19660707, 355);
    memcpy(typo, key, 19);
    typo[3] = typo[3] == '0' ? '1' : '0';
    size_t a = add(key, "陈伟", "1", 19660707, "350581001", 0);
    size_t b = add(typo, "陳偉", "1", 19660707, "350581001", 0);
    sib_resolver *r = run(out);
    cr_assert_eq(out[b].kind, SIB_LINK_PROBABLE);
    cr_assert_eq(out[b].person, out[a].person);
    char buf[128];
    sib_resolver_evidence_text(out[b].evidence, buf, sizeof buf);
    cr_assert(strstr(buf, "name=simplified") != NULL, "%s", buf);
    sib_resolver_free(r);
}

Test(unit_resolve, deterministic)
{
    static sib_resolution out2[MAXR];
    char key[19], typo[19];
    background();
    make_key(key, "350581", 19750615, 231);
    memcpy(typo, key, 19);
    typo[12] = typo[12] == '9' ? '0' : (char)(typo[12] + 1);
    add(typo, "蔡文彬", "1", 19750615, NULL, 0);     /* probable record before its keyed one */
    add(key, "蔡文彬", "1", 19750615, NULL, 0);
    sib_resolver *r1 = run(out);
    sib_resolver *r2 = run(out2);
    cr_assert_eq(memcmp(out, out2, fx.n * sizeof out[0]), 0);
    cr_assert_eq(out[NBG].kind, SIB_LINK_PROBABLE);
    cr_assert_eq(out[NBG].person, out[NBG + 1].person);
    cr_assert_eq(sib_resolver_person_first_record(r1, out[NBG].person), NBG);
    sib_resolver_free(r1);
    sib_resolver_free(r2);
}

Test(unit_resolve, empty_input_and_pre1900_legacy)
{
    sib_error err;
    sib_resolver *r = sib_resolver_new(202512, 12.0, 6.0, &err);
    cr_assert_not_null(r);
    cr_assert_eq(sib_resolver_run(r, fx.recs, 0, out, &err), SIB_OK, "%s", err.msg);
    cr_assert_eq(sib_resolver_npersons(r), 0);
    cr_assert_eq(sib_resolver_nreview(r), 0);
    /* a resolver runs once */
    cr_assert_eq(sib_resolver_run(r, fx.recs, 0, out, &err), SIB_ERR);
    sib_resolver_free(r);

    background();
    size_t a = add("350521990101013", "林百岁", "1", 18990101, NULL, 0);
    r = run(out);
    cr_assert_eq(out[a].id_status, SIB_ID_LEGACY_PRE1900);
    cr_assert_eq(out[a].kind, SIB_LINK_UNRESOLVED);
    cr_assert_null(sib_resolver_person_key(r, out[a].person));
    char buf[8];
    cr_assert_str_eq(sib_resolver_evidence_text((1u << 0) | (2u << 15), buf, sizeof buf), "name=ex"); /* cut, NUL-terminated */
    sib_resolver_free(r);
}

/* Every part that runs on several threads (IDs and names, signatures, the
 * link phase) gives what one thread gives: the same links, persons,
 * scores, evidence and review list, in the same order. */
Test(unit_resolve, threads_give_the_same_result)
{
    static sib_resolution one[MAXR], many[MAXR];
    background();
    for (int i = 0; i < 400; i++) {     /* of background person j: typos, no ID, namesakes */
        int j = (i * 7) % NBG;
        int b = 19500101 + (j % 40) * 10000 + (j / 40 % 12) * 100 + (j % 28);
        char key[19], id[24];
        make_key(key, "350581", b, j);
        memcpy(id, key, 19);
        id[14] = id[14] == '9' ? '0' : (char)(id[14] + 1);
        const char *nm = fx.names[j], *g = (j % 2) ? "1" : "2";
        switch (i % 4) {
        case 0: add(id, nm, g, b, "350581100", 1000 + j % 50); break;
        case 1: add(NULL, nm, g, b, "350581100", 1000 + j % 50); break;
        case 2:     /* a namesake born the same day: the record without an ID goes to review */
            make_key(key, "350583", b, j);
            add(key, nm, g, b, "350581100", 1000 + j % 50);
            add(NULL, nm, g, b, "350581100", 1000 + j % 50);
            break;
        default: add(key, nm, g, b, NULL, 0); break;
        }
    }
    sib_error err;
    size_t nrev = 0, np = 0;
    for (int t = 1; t <= 3; t++) {
        sib_resolver *r = sib_resolver_new(202512, 12.0, 6.0, &err);
        cr_assert_not_null(r, "%s", err.msg);
        sib_resolver_set_threads(r, t);
        cr_assert_eq(sib_resolver_run(r, fx.recs, fx.n, t == 1 ? one : many, &err), SIB_OK, "%s", err.msg);
        if (t == 1) {
            nrev = sib_resolver_nreview(r);
            np = sib_resolver_npersons(r);
            size_t links = 0;
            for (size_t i = 0; i < fx.n; i++)
                links += one[i].kind == SIB_LINK_PROBABLE;
            cr_assert_gt(links, 50, "the fixture has probable links");
            cr_assert_gt(nrev, 0, "and review entries");
        } else {
            cr_assert_eq(memcmp(one, many, fx.n * sizeof one[0]), 0, "threads %d", t);
            cr_assert_eq(sib_resolver_npersons(r), np);
            cr_assert_eq(sib_resolver_nreview(r), nrev);
        }
        size_t prev = 0;
        for (size_t k = 0; k < sib_resolver_nreview(r); k++) {
            size_t rec;
            int32_t cand;
            float score;
            uint32_t ev;
            sib_resolver_review(r, k, &rec, &cand, &score, &ev);
            cr_assert(k == 0 || rec > prev, "review entries in record order");
            prev = rec;
        }
        sib_resolver_free(r);
    }
}
