-- fixture_dirt.sql — more dirt on top of tests/reference/fixture_rules.sql
-- (in the same session, after it: it uses its pg_temp.months), for
-- tests/integration/test_peer.c: cases the rules
-- fixture does not hold, where a second implementation of definitions.md
-- could read the contract differently. Keys are valid GB 11643 numbers.
--
--  D1 350581196005050019  110 e2001 ID in full-width digits, open, paid
--                         202401-202512 with a NULL employer_amount in 202406;
--                         e2002 the same person as 15-digit '350581600505001'
--                         (legacy, converted), overlapping: one cluster, dup 1
--  D2 350581197007070026  110 e2011 status ' 2 ' and worker_category ' project ',
--                         town ' 350581101 ', never paid (project: not lapsed);
--                         120 e2012 benefit_start_month 202601 (after A: no
--                         pension), status NULL (not open), paid 2020
--  D3 350581198808080034  170 e2021 and e2022 (two agencies, both open) pay
--                         202401 and 202402; 110 e2023 pays 202401-202403:
--                         refund of both 170 payments for 202401-202402
--  D4 350581199009090046  210 e2031 town '350581100001' (12 digits, not ...000:
--                         unknown), paid to 202511; population row with a
--                         leading ' and a lower-case x elsewhere, dead 2025-12-31
--  D5 35058119801212007X  410 e2041 ID '35058119801212007x' with NBSP inside,
--                         unit 77 (no such employer: risk class unknown, not an
--                         employer), paid 202512 twice, identical rows (full tie)
--  D6 350581196511110061  as 15 digits '350581651111006' with birth_date 1865:
--                         legacy before 1900, not converted (unresolved)
--  D7 dates PostgreSQL writes as -infinity and infinity, town 350581400:
--     350581197505050036  210 e2061 open, paid 202501-202512 (60.00 a month);
--                         population row deceased_on '-infinity': dead, not
--                         insured, the 720.00 still paid
--     350581196606060044  210 e2071 open; 202512 paid twice, paid_on 'infinity'
--                         (15.00, kept: the latest) and 2025-12-20 (150.00);
--                         202511 twice, paid_on NULL (150.00) and '-infinity'
--                         (2.00, kept: later than an empty paid_on)
--     pop 2081 '350581750101003' with birth_date '-infinity': legacy before
--                         1900, not converted (unresolved)
-- Rejects: enrollment e2091 NULL insurance_type, e2092 NULL start_month;
-- contribution NULL enrollment_id (orphan), NULL period (future), e2001 with
-- NULL base and amounts in 202301 (a paid month with 0.00: it is before the
-- enrollment started; it still counts as paid).

INSERT INTO si_src.employer VALUES
 (3, '91350100M000100Y43', '石狮某建筑公司', 'E4710', NULL, '350581101');

INSERT INTO si_src.enrollment (enrollment_id, source_system, id_number, name, gender, birth_date, insurance_type,
                               unit_id, worker_category, town_code, start_month, end_month, status,
                               benefit_start_month) VALUES
 (2001, 'enterprise',  '３５０５８１１９６００５０５００１９', '郭一', '1', '1960-05-05', '110', 1, 'employee', '350581001', 202401, NULL, '1', NULL),
 (2002, 'institution', '350581600505001', '郭一', '1', '1960-05-05', '110', NULL, 'employee', '350581002', 202301, 202406, '3', NULL),
 (2011, 'employment',  '350581197007070026', '叶二', '2', '1970-07-07', '410', 3, ' project ', ' 350581101 ', 202501, NULL, ' 2 ', NULL),
 (2012, 'institution', '350581197007070026', '叶二', '2', '1970-07-07', '120', NULL, 'employee', '350581101', 202001, NULL, NULL, 202601),
 (2021, 'resident',    '350581198808080034', '丁三', '1', '1988-08-08', '170', NULL, 'resident', '350581103', 202301, NULL, '1', NULL),
 (2022, 'resident',    '350581198808080034', '丁三', '1', '1988-08-08', '170', NULL, 'resident', '350581104', 202401, NULL, '2', NULL),
 (2023, 'enterprise',  '350581198808080034', '丁三', '1', '1988-08-08', '110', 1, 'employee', '350581103', 202401, 202403, '3', NULL),
 (2031, 'employment',  '350581199009090046', '钟四', '2', '1990-09-09', '210', 1, 'employee', '350581100001', 202201, NULL, '1', NULL),
 (2041, 'employment',  E'35058119801212\u00a0007x', '邓五', '1', '1980-12-12', '410', 77, 'employee', '350581105', 202401, NULL, '1', NULL),
 (2051, 'enterprise',  '350581651111006', '古六', '1', '1865-11-11', '110', NULL, 'employee', '350581106', 202501, NULL, '1', NULL),
 (2061, 'employment',  '350581197505050036', '林七', '1', '1975-05-05', '210', NULL, 'employee', '350581400', 202401, NULL, '1', NULL),
 (2071, 'employment',  '350581196606060044', '黄八', '2', '1966-06-06', '210', NULL, 'employee', '350581400', 202401, NULL, '1', NULL),
 (2091, 'enterprise',  '350581198503030087', '范九', '1', '1985-03-03', NULL, NULL, 'employee', '350581001', 202001, NULL, '1', NULL),
 (2092, 'enterprise',  '350581198503030087', '范九', '1', '1985-03-03', '110', NULL, 'employee', '350581001', NULL, NULL, '1', NULL);

INSERT INTO si_src.contribution (enrollment_id, period, base, employer_amount, personal_amount, paid_on)
SELECT 2001, m, 5000, CASE WHEN m = 202406 THEN NULL ELSE 800 END, 400, make_date(m / 100, m % 100, 15)
  FROM pg_temp.months(202401, 202512) m
UNION ALL SELECT 2001, 202301, NULL, NULL, NULL, '2023-01-15'
UNION ALL SELECT 2002, m, 5000, 800, 400, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202301, 202406) m
UNION ALL SELECT 2012, m, 6000, 960, 480, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202001, 202012) m
UNION ALL SELECT 2021, m, 0, 30, 100, '2024-01-05' FROM pg_temp.months(202401, 202402) m
UNION ALL SELECT 2022, m, 0, 25, 200, '2024-02-05' FROM pg_temp.months(202401, 202402) m
UNION ALL SELECT 2023, m, 5000, 800, 400, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202401, 202403) m
UNION ALL SELECT 2031, m, 4000, 40, 20, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202201, 202511) m
UNION ALL SELECT 2041, 202512, 5000, 50, 0, '2025-12-15'
UNION ALL SELECT 2041, 202512, 5000, 50, 0, '2025-12-15'
UNION ALL SELECT NULL, 202501, 5000, 800, 400, '2025-01-15'
UNION ALL SELECT 2001, NULL, 5000, 800, 400, '2025-01-15'
UNION ALL SELECT 2061, m, 3000, 40, 20, make_date(m / 100, m % 100, 15) FROM pg_temp.months(202501, 202512) m
UNION ALL SELECT 2071, 202512, 3000, 10, 5, 'infinity'
UNION ALL SELECT 2071, 202512, 3000, 100, 50, '2025-12-20'
UNION ALL SELECT 2071, 202511, 3000, 100, 50, NULL
UNION ALL SELECT 2071, 202511, 3000, 1, 1, '-infinity';

INSERT INTO si_src.population (pop_id, id_number, name, gender, birth_date, town_code, residence, deceased_on, in_school) VALUES
 (2031, E'\'350581199009090046', '钟四', '2', '1990-09-09', '350581100', 'hukou', '2025-12-31', false),
 (2041, '35058119801212007x', '邓五', '1', '1980-12-12', ' 350581105', 'hukou', NULL, NULL),
 (2061, '350581197505050036', '林七', '1', '1975-05-05', '350581400', 'hukou', '-infinity', false),
 (2081, '350581750101003', '蔡九', '2', '-infinity', '350581400', 'hukou', NULL, false);
