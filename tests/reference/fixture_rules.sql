-- fixture_rules.sql — a small hand-made data set, one case per rule of
-- definitions.md, as-of month 2025-12. Loaded by tests/integration/
-- test_reference.c (suite integ_reference) and test_reconcile.c; the expected
-- figures are computed by hand in the comments below and asserted there.
-- Needs si_src (sql/source.sql). Replaces every si_src row. Also writes
-- public.fixture_ident(source, source_id, person_ref): the true identity of
-- every row, for ref_ident.
--
-- Persons (keys are valid GB 11643 numbers; P17 has none):
--  P1  350581198001010115  110 e101 open, paid 202001-202512 (1200/month), e102
--                          a second agency's overlapping 110 record (dup 1);
--                          202512 paid twice the same day: 1300 kept, 1200 repeat
--  P2  350581199002020221  110 e201 open, paid 202401-202508 -> 4 months unpaid,
--                          lapsed; 202508 again (earlier paid_on) and 202507 with
--                          no paid_on: repeats; 202509 negative
--  P3  350581195503030315  170 e301 drawing since 202301 (beneficiary); old 110
--                          e302 and 120 e303 paid together 201401-201406:
--                          employee_institution conflict, 6 months, no refund
--  P4  35058119700404042X  110 e401 paid 202401-202512, 170 e402 paid 202301-
--                          202412 (100+20): refund conflict 12 months 1440.00;
--                          170 lapsed (12 months)
--  P5  350581199205050519  210 e501 never paid since 202001 (72 months, lapsed),
--                          town '350581002000'; 410 e502 project, never paid
--                          (not lapsed); employer 2 with risk class 9 -> unknown;
--                          uninsured in pensions (population row)
--  P6  35058119880606062X  410 e601 town 'XYZ' -> unknown, risk class 3, 150.00
--  P7  350581197507070719  110 e701 fully paid but deceased 2025-06-01
--  P8  350581196601010822  population only, aged 59, two rows (pop 8 town
--                          350581101, pop 80 town 350581102): uninsured, 350581101
--  P9  350581200509090910  population, in school          -> not uninsured
--  P10 350581196512311017  population, aged 60             -> not uninsured
--  P11 350581201001011120  population, aged 15             -> not uninsured
--  P12 350581199512121217  110 e901 with type NBSP+'110'+U+3000, starts 202512,
--                          never paid: 1 month unpaid, contributing
--  P13 350581197512311329  120 e1301 2010-2015, e1302 2020-2021 (record: later
--                          cluster, town 350581104), not insured; population:
--                          uninsured (last paid 202106 in 120)
--  P14 350581198501141410  110 e1401..e1403 one cluster of 3 (dup 2), survivor
--                          e1403 (open, status 2), paid to 202509: lapsed 3
--  P15 350581198302151528  210 e1501 2015-2017 paid, e1502 from 202510 never
--                          paid: 3 months unpaid (not 96), lapsed
--  P16 350581195003161618  170 e1601 status 3 drawing since 202001: beneficiary
--  P17 (no valid ID)       110 e1701 'garbage', name '=王五', town NULL, from
--                          202506 never paid: lapsed 7, UNRESOLVED-enrollment-1701
--  P18 350581195808080719  170 e1801 status 3, benefit_start_month 202500 (not
--                          a month: read as NULL): draws nothing, not insured
--  P19 350581197703030917  110 e1901 open, paid to 202512; two population rows:
--                          pop 19 alive, pop 190 dead 2025-03-01: deceased (any
--                          linked row, §4), insured nowhere, never a target
-- Rejects: enrollment insurance_type 2 (e902 '11O', e907 '999'+bad period),
-- period 2 (e904, e905), identity 1 (e906); out of scope: e903 (310) and its
-- one contribution; e908 starts 202601 (no reject, no figure), its 202512
-- paid twice in advance (one not_started row, one repeat). Contribution:
-- orphan 1, rejected_enrollment 1, future 2, negative 1, repeat 4.
-- Population: identity 1 (pop 91); pop 90 has an unusable ID (unresolved).

TRUNCATE si_src.employer, si_src.enrollment, si_src.contribution, si_src.population;

INSERT INTO si_src.employer VALUES
 (1, '91350100M000100Y43', '石狮某纺织有限公司', 'C1810', 3, '350581001'),
 (2, '91350100M000100Y4Z', '+鞋业工程队', 'E4710', 9, '350581002');

-- helper: one contribution row per month from m1 to m2 (YYYYMM)
CREATE OR REPLACE FUNCTION pg_temp.months(m1 integer, m2 integer) RETURNS SETOF integer
LANGUAGE sql AS $$
  SELECT (extract(year FROM d) * 100 + extract(month FROM d))::integer
  FROM generate_series(make_date(m1 / 100, m1 % 100, 1), make_date(m2 / 100, m2 % 100, 1), interval '1 month') d
$$;

INSERT INTO si_src.enrollment (enrollment_id, source_system, id_number, name, gender, birth_date, insurance_type,
                               unit_id, worker_category, town_code, start_month, end_month, status,
                               benefit_start_month) VALUES
 (101,  'enterprise',  '350581198001010115', '陈一', '1', '1980-01-01', '110', 1,    'employee', '350581001', 202001, NULL,   '1', NULL),
 (102,  'institution', '350581198001010115', '陈一', '1', '1980-01-01', '110', NULL, 'employee', '350581002', 202301, 202406, '3', NULL),
 (201,  'enterprise',  '350581199002020221', '林二', '2', '1990-02-02', '110', 1,    'employee', '350581001', 202401, NULL,   '1', NULL),
 (301,  'resident',    '350581195503030315', '黄三', '1', '1955-03-03', '170', NULL, 'resident', '350581002', 201501, NULL,   '1', 202301),
 (302,  'enterprise',  '350581195503030315', '黄三', '1', '1955-03-03', '110', 1,    'employee', '350581002', 201001, 201412, '3', NULL),
 (303,  'institution', '350581195503030315', '黄三', '1', '1955-03-03', '120', NULL, 'employee', '350581002', 201401, 201406, '3', NULL),
 (401,  'enterprise',  '35058119700404042X', '王四', '2', '1970-04-04', '110', 1,    'employee', '350581100', 202401, NULL,   '1', NULL),
 (402,  'resident',    '35058119700404042x', '王四', '2', '1970-04-04', '170', NULL, 'resident', '350581100', 202301, NULL,   '1', NULL),
 (501,  'employment',  '350581199205050519', '蔡五', '1', '1992-05-05', '210', 2,    'employee', '350581002000', 202001, NULL, '1', NULL),
 (502,  'employment',  '350581199205050519', '蔡五', '1', '1992-05-05', '410', 2,    'project',  '350581002', 202501, NULL,   '1', NULL),
 (601,  'employment',  '35058119880606062X', '洪六', '2', '1988-06-06', '410', 1,    'employee', 'XYZ',       202201, NULL,   '1', NULL),
 (701,  'enterprise',  '350581197507070719', '施七', '1', '1975-07-07', '110', 1,    'employee', '350581001', 202401, NULL,   '1', NULL),
 (901,  'enterprise',  '350581199512121217', '吴十二', '1', '1995-12-12', E'\u00A0110\u3000', NULL, 'flexible', '350581106', 202512, NULL, '1', NULL),
 (902,  'enterprise',  '350581199512121217', '吴十二', '1', '1995-12-12', '11O', NULL, 'flexible', '350581106', 202001, NULL, '1', NULL),
 (903,  'enterprise',  '350581199512121217', '吴十二', '1', '1995-12-12', '310', NULL, 'flexible', '350581106', 202001, NULL, '1', NULL),
 (904,  'enterprise',  '350581199512121217', '吴十二', '1', '1995-12-12', '110', NULL, 'flexible', '350581106', 202513, NULL, '1', NULL),
 (905,  'enterprise',  '350581199512121217', '吴十二', '1', '1995-12-12', '110', NULL, 'flexible', '350581106', 202101, 202001, '3', NULL),
 (906,  'enterprise',  NULL,                 E' \u3000', NULL, NULL,     '110', NULL, 'flexible', '350581106', 202001, NULL, '1', NULL),
 (907,  'enterprise',  '350581199512121217', '吴十二', '1', '1995-12-12', '999', NULL, 'flexible', '350581106', 202099, NULL, '1', NULL),
 (908,  'enterprise',  '350581199512121217', '吴十二', '1', '1995-12-12', '210', NULL, 'flexible', '350581106', 202601, NULL, '1', NULL),
 (1301, 'institution', '350581197512311329', '蔡十三', '2', '1975-12-31', '120', NULL, 'employee', '350581001', 201001, 201512, '3', NULL),
 (1302, 'institution', '350581197512311329', '蔡十三', '2', '1975-12-31', '120', NULL, 'employee', '350581104', 202001, 202106, '3', NULL),
 (1401, 'enterprise',  '350581198501141410', '许十四', '1', '1985-01-14', '110', NULL, 'employee', '350581001', 201501, 201812, '3', NULL),
 (1402, 'institution', '350581198501141410', '许十四', '1', '1985-01-14', '110', NULL, 'employee', '350581001', 201801, 202012, '3', NULL),
 (1403, 'enterprise',  '350581198501141410', '许十四', '1', '1985-01-14', '110', NULL, 'employee', '350581105', 202011, NULL,   '2', NULL),
 (1501, 'employment',  '350581198302151528', '郑十五', '2', '1983-02-15', '210', NULL, 'employee', '350581001', 201501, 201712, '3', NULL),
 (1502, 'employment',  '350581198302151528', '郑十五', '2', '1983-02-15', '210', NULL, 'employee', '350581100', 202510, NULL,   '1', NULL),
 (1601, 'resident',    '350581195003161618', '李十六', '1', '1950-03-16', '170', NULL, 'resident', '350581103', 201001, 201912, '3', 202001),
 (1701, 'enterprise',  'garbage',            '=王五', '1', '1985-03-04', '110', NULL, 'employee', NULL,        202506, NULL,   '1', NULL),
 (1801, 'resident',    '350581195808080719', '高十八', '1', '1958-08-08', '170', NULL, 'resident', '350581103', 201801, 202312, '3', 202500),
 (1901, 'enterprise',  '350581197703030917', '龚十九', '1', '1977-03-03', '110', 1,    'employee', '350581105', 202001, NULL,   '1', NULL);

INSERT INTO si_src.contribution (enrollment_id, period, base, employer_amount, personal_amount, paid_on)
SELECT 101, m, 5000, 800, 400, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202001, 202512) m
UNION ALL SELECT 101, 202512, 5000, 900, 400, '2025-12-15'                  -- kept: same day, larger
UNION ALL SELECT 101, 202601, 5000, 800, 400, '2025-12-20'                  -- future
UNION ALL SELECT 101, 202513, 5000, 800, 400, '2025-12-20'                  -- future (not a month)
UNION ALL SELECT 102, m, 5000, 800, 400, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202301, 202406) m
UNION ALL SELECT 201, m, 5000, 800, 400, make_date(m / 100, m % 100, 10) + 31 FROM pg_temp.months(202401, 202508) m
UNION ALL SELECT 201, 202508, 5000, 1300, 700, '2025-08-01'                 -- repeat: earlier paid_on
UNION ALL SELECT 201, 202507, 5000, 3000, 2000, NULL                        -- repeat: no paid_on
UNION ALL SELECT 201, 202509, 5000, 800, -5, '2025-10-10'                   -- negative
UNION ALL SELECT 302, m, 5000, 800, 400, make_date(m / 100, m % 100, 15) FROM pg_temp.months(201001, 201412) m
UNION ALL SELECT 303, m, 6000, 960, 480, make_date(m / 100, m % 100, 15) FROM pg_temp.months(201401, 201406) m
UNION ALL SELECT 401, m, 5000, 800, 400, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202401, 202512) m
UNION ALL SELECT 402, m, 0, 20, 100, make_date(m / 100, 1, 5) FROM pg_temp.months(202301, 202412) m
UNION ALL SELECT 601, m, 5000, 50, 0, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202510, 202512) m
UNION ALL SELECT 701, m, 5000, 800, 400, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202401, 202512) m
UNION ALL SELECT 902, 202001, 5000, 800, 400, '2020-01-15'                  -- rejected_enrollment
UNION ALL SELECT 903, 202001, 5000, 800, 400, '2020-01-15'                  -- out of scope
UNION ALL SELECT 908, 202512, 3000, 0, 300, '2025-12-10'                    -- not started: no figure
UNION ALL SELECT 1901, m, 5000, 800, 400, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202401, 202512) m
UNION ALL SELECT 908, 202512, 3000, 0, 300, '2025-12-11'                    -- ... still a repeat
UNION ALL SELECT 99999, 202501, 5000, 800, 400, '2025-01-15'                -- orphan
UNION ALL SELECT 1301, m, 5000, 800, 400, make_date(m / 100, m % 100, 15) FROM pg_temp.months(201001, 201512) m
UNION ALL SELECT 1302, m, 5000, 800, 400, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202001, 202106) m
UNION ALL SELECT 1403, m, 5000, 800, 400, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202011, 202509) m
UNION ALL SELECT 1501, m, 5000, 25, 25, make_date(m / 100, m % 100, 15) FROM pg_temp.months(201501, 201712) m;

INSERT INTO si_src.population (pop_id, id_number, name, gender, birth_date, town_code, residence, deceased_on, in_school) VALUES
 (1,  '350581198001010115', '陈一',   '1', '1980-01-01', '350581001', 'hukou', NULL, false),
 (5,  '350581199205050519', '蔡五',   '1', '1992-05-05', '350581002', 'hukou', NULL, NULL),
 (7,  '350581197507070719', '施七',   '1', '1975-07-07', '350581001', 'hukou', '2025-06-01', false),
 (8,  '350581196601010822', '庄八',   '2', '1966-01-01', '350581101', 'hukou', NULL, false),
 (80, '350581196601010822', '庄八',   '2', '1966-01-01', '350581102', 'resident', NULL, false),
 (9,  '350581200509090910', '邱九',   '1', '2005-09-09', '350581001', 'hukou', NULL, true),
 (10, '350581196512311017', '康十',   '1', '1965-12-31', '350581001', 'hukou', NULL, false),
 (11, '350581201001011120', '苏十一', '2', '2010-01-01', '350581001', 'hukou', NULL, false),
 (13, '350581197512311329', '蔡十三', '2', '1975-12-31', '350581104', 'hukou', NULL, false),
 (19, '350581197703030917', '龚十九', '1', '1977-03-03', '350581105', 'hukou', NULL, false),
 (190, '350581197703030917', '龚十九', '1', '1977-03-03', '350581105', 'resident', '2025-03-01', false),
 (90, 'abc',                '某某',   '9', '1970-01-01', '350581001', 'new_citizen', NULL, false),
 (91, ' ',                  E'\u3000', '9', NULL,        '350581001', 'new_citizen', NULL, false);

DROP TABLE IF EXISTS public.fixture_ident;
CREATE TABLE public.fixture_ident AS
SELECT 'enrollment'::text AS source, e.enrollment_id AS source_id,
       CASE WHEN e.enrollment_id = 1701 THEN 'UNRESOLVED-enrollment-1701'
            ELSE upper(e.id_number) END AS person_ref
FROM si_src.enrollment e
WHERE e.enrollment_id NOT IN (906)
UNION ALL
SELECT 'population', p.pop_id,
       CASE WHEN p.pop_id = 90 THEN 'UNRESOLVED-population-90' ELSE p.id_number END
FROM si_src.population p
WHERE p.pop_id <> 91;
