/*
 * Unit tests of common/mask: never the full value.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "common/mask.h"

Test(unit_mask, eighteen_char_key)
{
    char out[SIB_MASK_CAP];
    sib_mask_id("35058119800101123X", out, sizeof out);
    cr_assert_str_eq(out, "350581********123X");
    sib_mask_id("11010519491231002X", out, sizeof out);
    cr_assert_str_eq(out, "110105********002X");
}

Test(unit_mask, short_values_fully_masked)
{
    char out[SIB_MASK_CAP];
    const char *v[] = {NULL, "", "1", "123456789", "ABCDEFGHI"};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        sib_mask_id(v[i], out, sizeof out);
        cr_assert_str_eq(out, "******************", "value %zu", i);
    }
}

Test(unit_mask, middle_lengths_never_reveal_everything)
{
    char out[SIB_MASK_CAP];
    sib_mask_id("1234567890", out, sizeof out);
    cr_assert_str_eq(out, "12********90");
    sib_mask_id("1234567890123", out, sizeof out);
    cr_assert_str_eq(out, "12********23");
    /* a 15-digit legacy number: 6 + 4 shown, 5 hidden */
    sib_mask_id("340524800101001", out, sizeof out);
    cr_assert_str_eq(out, "340524********1001");
    /* no length from 10 to 40 shows the whole value, and every mask
     * has the 8 stars */
    char v[41];
    for (int n = 10; n <= 40; n++) {
        for (int i = 0; i < n; i++)
            v[i] = (char)('A' + i % 26);
        v[n] = '\0';
        sib_mask_id(v, out, sizeof out);
        cr_assert(strstr(out, v) == NULL, "length %d revealed: %s", n, out);
        cr_assert(strstr(out, "********") != NULL, "length %d: %s", n, out);
        size_t shown = strlen(out) - 8;
        cr_assert_lt((int)shown, n, "length %d shows %zu characters", n, shown);
    }
}

Test(unit_mask, utf8_not_cut_inside_a_character)
{
    char out[SIB_MASK_CAP];
    /* full-width digits, 3 bytes each: 18 characters, 54 bytes */
    const char *fw = "３５０５８１１９８００１０１１２３Ｘ";
    sib_mask_id(fw, out, sizeof out);
    cr_assert_str_eq(out, "３５０５８１********１２３Ｘ");
}

Test(unit_mask, small_buffer_cut_short_and_terminated)
{
    char out[8];
    memset(out, 'Z', sizeof out);
    sib_mask_id("35058119800101123X", out, sizeof out);
    cr_assert_str_eq(out, "350581*");
    char one[1] = {'Z'};
    sib_mask_id("35058119800101123X", one, 1);
    cr_assert_eq(one[0], '\0');
}
