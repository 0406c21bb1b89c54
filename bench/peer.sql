-- peer.sql — the pure-SQL peer of `sibatch run` for `make bench`
-- (scripts/bench.sh): what a capable DBA would write by hand for the numbers
-- of the three extracts (pension.csv.gz, unemployment.csv.gz, injury.csv.gz;
-- shared/docs/definitions.md §8), straight from si_src, in one session, with
-- no files, no fuzzy links, no campaign state and nothing written to sibatch's
-- tables (temporary tables only).
--
--   psql -X -q -v ON_ERROR_STOP=1 -v as_of=202512 -f bench/peer.sql
--
-- prints three unaligned, comma-separated blocks, each introduced by a line
-- "#pension", "#unemployment", "#injury", with the extracts' columns (no
-- quoting: town names hold no comma). scripts/bench.sh sums them per scheme
-- and prints them beside sibatch's.
--
-- What it does, and where it differs from sibatch on purpose:
--   * Identity: an ID is normalized by full-width digits and Ｘ/ｘ/× to ASCII
--     (translate), every white-space character removed (Unicode \s, U+3000,
--     NBSP), one leading ' removed, upper(). It is a person key when it is 18
--     characters with a correct GB 11643 check character and a birth date
--     that exists and is not after the end of A. A 15-digit legacy number is
--     converted (insert 19, append the check) when its date passes the same
--     test and the record's birth date is not before 1900. Every other record
--     is its own unresolved person: no probabilistic linking, so records
--     sibatch links `probable` count here as separate persons. That is the
--     only intended difference from sibatch's figures: `sibatch run` with
--     linking switched off (match.auto_link and match.review above any
--     score) publishes exactly the peer's rows (tests/integration/test_peer.c).
--   * Codes and blanks are trimmed of every Unicode white-space character.
--   * Rejects and out-of-scope rows per §1 (insurance type, period, identity;
--     contribution orphan/rejected/future/negative/repeat with the kept row
--     chosen by latest paid_on, then largest amount).
--   * §3 clusters (gaps and islands over [start, end or A]), survivors and the
--     person's record; §4 insured/contributing/lapsed/beneficiaries with the
--     default thresholds (3 months; 12 for 170); §5 conflicts and refunds;
--     §8 rows keyed by town, town × scheme, town × risk class.

\set ON_ERROR_STOP 1
SET work_mem = '256MB';
SET client_min_messages = warning;

-- Month index of a YYYYMM integer (months since year 0).
CREATE FUNCTION pg_temp.mi(m integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT (m / 100) * 12 + (m % 100) - 1 $$;

-- YYYYMM of a month index.
CREATE FUNCTION pg_temp.ym(i integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT (i / 12) * 100 + i % 12 + 1 $$;

-- GB 11643 check character of the first 17 digits of s.
CREATE FUNCTION pg_temp.id_check(s text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT substr('10X98765432',
        ((substr(s,1,1)::int*7 + substr(s,2,1)::int*9 + substr(s,3,1)::int*10
        + substr(s,4,1)::int*5 + substr(s,5,1)::int*8 + substr(s,6,1)::int*4
        + substr(s,7,1)::int*2 + substr(s,8,1)::int*1 + substr(s,9,1)::int*6
        + substr(s,10,1)::int*3 + substr(s,11,1)::int*7 + substr(s,12,1)::int*9
        + substr(s,13,1)::int*10 + substr(s,14,1)::int*5 + substr(s,15,1)::int*8
        + substr(s,16,1)::int*4 + substr(s,17,1)::int*2) % 11) + 1, 1) $$;

-- t without leading and trailing white space: every Unicode white-space
-- character, as definitions.md says ("trimming"), not only ASCII blanks.
CREATE FUNCTION pg_temp.utrim(t text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT btrim(t, E'\u0020\u0009\u000a\u000b\u000c\u000d\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000') $$;

-- Normalized text of a raw ID (no validation): translate() maps full-width
-- digits and X to ASCII and deletes the white-space characters (ASCII, NEL,
-- NBSP, U+1680, U+2000..U+200A, U+2028/9, U+202F, U+205F, U+3000); upper()
-- makes a final x an X.
CREATE FUNCTION pg_temp.id_norm(t text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT upper(regexp_replace(translate(t,
        E'０１２３４５６７８９Ｘｘ×\u0020\u0009\u000a\u000b\u000c\u000d\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000',
        '0123456789XXX'), '^''', '')) $$;

-- The birth date d (YYYYMMDD digits) exists (Gregorian, year 1 or later)
-- and is not after the end of month asof (YYYYMM).
CREATE FUNCTION pg_temp.birth_ok(d text, asof integer) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN substr(d,1,4)::int >= 1 AND substr(d,5,2)::int BETWEEN 1 AND 12
                     AND substr(d,7,2)::int >= 1
                THEN substr(d,7,2)::int <= extract(day FROM make_date(substr(d,1,4)::int,
                         substr(d,5,2)::int, 1) + interval '1 month - 1 day')
                     AND substr(d,1,6)::int <= asof
                ELSE false END $$;

-- Person key of a normalized ID n (NULL when invalid), per the header. Called
-- on a plain column (see OFFSET 0 below) so that PostgreSQL inlines it.
CREATE FUNCTION pg_temp.id_key(n text, birth date, asof integer) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN n ~ '^[0-9]{17}[0-9X]$'
             AND pg_temp.birth_ok(substr(n,7,8), asof)
             AND substr(n,18,1) = pg_temp.id_check(n) THEN n
        WHEN n ~ '^[0-9]{15}$' AND (birth IS NULL OR birth >= DATE '1900-01-01')
             AND pg_temp.birth_ok('19' || substr(n,7,6), asof) THEN
            substr(n,1,6) || '19' || substr(n,7,9)
            || pg_temp.id_check(substr(n,1,6) || '19' || substr(n,7,9))
        END $$;

-- Town of a raw town code: one of the ten (12-digit ...000 form accepted) or 'unknown'.
CREATE TEMP TABLE town (code text PRIMARY KEY, name text NOT NULL);
INSERT INTO town VALUES
    ('350581001', '湖滨街道'), ('350581002', '凤里街道'), ('350581100', '灵秀镇'),
    ('350581101', '宝盖镇'), ('350581102', '蚶江镇'), ('350581103', '祥芝镇'),
    ('350581104', '鸿山镇'), ('350581105', '锦尚镇'), ('350581106', '永宁镇'),
    ('350581400', '石狮高新技术产业开发区'), ('unknown', '未知');

-- 1. Usable enrollments started by A, with their person (key or unresolved).
CREATE TEMP TABLE enr AS
SELECT e.enrollment_id,
       coalesce(pg_temp.id_key(e.n, e.birth_date, :as_of),
                'U' || e.enrollment_id) AS person,
       pg_temp.utrim(e.insurance_type) AS scheme,
       e.unit_id,
       pg_temp.utrim(e.worker_category) AS worker_category,
       CASE WHEN t.code IS NOT NULL THEN t.code ELSE 'unknown' END AS town,
       e.start_month,
       coalesce(e.end_month, :as_of) AS end_m,
       pg_temp.utrim(e.status) AS status,
       (e.end_month IS NULL OR e.end_month >= :as_of) AND pg_temp.utrim(e.status) IN ('1', '2') AS open12,
       coalesce(pg_temp.utrim(e.insurance_type) IN ('110', '120', '170')
                AND e.benefit_start_month % 100 BETWEEN 1 AND 12
                AND e.benefit_start_month BETWEEN 100001 AND :as_of, false) AS draws,
       e.benefit_start_month
FROM (SELECT e.*, pg_temp.id_norm(e.id_number) AS n
      FROM si_src.enrollment e OFFSET 0) e
LEFT JOIN town t ON t.code <> 'unknown' AND t.code = CASE
        WHEN pg_temp.utrim(e.town_code) ~ '^[0-9]{9}000$' THEN left(pg_temp.utrim(e.town_code), 9)
        ELSE pg_temp.utrim(e.town_code) END
WHERE pg_temp.utrim(e.insurance_type) IN ('110', '120', '170', '210', '410')
  AND e.start_month % 100 BETWEEN 1 AND 12 AND e.start_month BETWEEN 100001 AND 999912
  AND (e.end_month IS NULL OR (e.end_month % 100 BETWEEN 1 AND 12
                               AND e.end_month BETWEEN 100001 AND 999912
                               AND e.end_month >= e.start_month))
  AND NOT (coalesce(pg_temp.utrim(e.id_number), '') = '' AND coalesce(pg_temp.utrim(e.name), '') = '')
  AND e.start_month <= :as_of;
ALTER TABLE enr ADD PRIMARY KEY (enrollment_id);
ANALYZE enr;

-- 2. Valid (not orphan/rejected/future/negative) contribution rows, one pass:
--    the latest paid period per enrollment; repeats are resolved below only
--    where amounts matter (the last 12 months, conflicts).
CREATE TEMP TABLE cvalid AS
SELECT c.enrollment_id, c.period,
       coalesce(c.employer_amount, 0) + coalesce(c.personal_amount, 0) AS amt,
       c.paid_on
FROM si_src.contribution c
JOIN enr USING (enrollment_id)
WHERE c.period % 100 BETWEEN 1 AND 12 AND c.period BETWEEN 100001 AND :as_of
  AND coalesce(c.base, 0) >= 0 AND coalesce(c.employer_amount, 0) >= 0
  AND coalesce(c.personal_amount, 0) >= 0
  AND (c.period >= pg_temp.ym(pg_temp.mi(:as_of) - 11)   -- last 12 months
       OR enr.person IN (SELECT person FROM enr WHERE scheme IN ('110','120','170')
                         GROUP BY person HAVING count(DISTINCT scheme) > 1));

CREATE TEMP TABLE lastpaid AS
SELECT enrollment_id, max(c.period) AS last_paid
FROM si_src.contribution c
JOIN enr USING (enrollment_id)
WHERE c.period % 100 BETWEEN 1 AND 12 AND c.period BETWEEN 100001 AND :as_of
  AND coalesce(c.base, 0) >= 0 AND coalesce(c.employer_amount, 0) >= 0
  AND coalesce(c.personal_amount, 0) >= 0
GROUP BY enrollment_id;
ALTER TABLE lastpaid ADD PRIMARY KEY (enrollment_id);

-- Kept rows (one per enrollment and period) among cvalid.
CREATE TEMP TABLE kept AS
SELECT DISTINCT ON (enrollment_id, period) enrollment_id, period, amt
FROM cvalid
ORDER BY enrollment_id, period, paid_on DESC NULLS LAST, amt DESC;
DROP TABLE cvalid;

-- 3. Clusters (connected components of overlapping periods) and survivors.
CREATE TEMP TABLE enr2 AS
WITH s AS (
    SELECT e.*, lp.last_paid,
           CASE WHEN max(e.end_m) OVER w_prev IS NULL
                     OR e.start_month > max(e.end_m) OVER w_prev THEN 1 ELSE 0 END AS newc
    FROM enr e LEFT JOIN lastpaid lp USING (enrollment_id)
    WINDOW w_prev AS (PARTITION BY e.person, e.scheme ORDER BY e.start_month, e.enrollment_id
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), c AS (
    SELECT s.*, sum(newc) OVER (PARTITION BY person, scheme ORDER BY start_month, enrollment_id) AS cluster
    FROM s
)
SELECT c.*,
       row_number() OVER (PARTITION BY person, scheme, cluster
                          ORDER BY open12 DESC, last_paid DESC NULLS LAST,
                                   CASE status WHEN '1' THEN 1 WHEN '2' THEN 2 WHEN '3' THEN 3 ELSE 4 END,
                                   start_month, enrollment_id) AS rank_in_cluster,
       bool_or(open12) OVER (PARTITION BY person, scheme, cluster) AS cluster_open,
       max(last_paid) OVER (PARTITION BY person, scheme, cluster) AS cluster_paid
FROM c;

-- 4. Per person and scheme: the record and the §4 states.
CREATE TEMP TABLE ps AS
WITH agg AS (
    SELECT person, scheme,
           count(*) - count(DISTINCT cluster) AS dups,
           bool_or(open12) AS any_open,
           bool_or(draws) AS draws,
           max(last_paid) AS p
    FROM enr2 GROUP BY person, scheme
), rec AS (
    SELECT DISTINCT ON (person, scheme) person, scheme, enrollment_id, town, unit_id,
           worker_category, start_month
    FROM enr2
    ORDER BY person, scheme,
             (rank_in_cluster = 1 AND cluster_open) DESC,
             CASE WHEN draws THEN benefit_start_month END DESC NULLS LAST,
             CASE WHEN draws THEN enrollment_id END NULLS LAST,
             (rank_in_cluster = 1) DESC, cluster_paid DESC NULLS LAST,
             start_month DESC, enrollment_id
), dead AS (            -- deceased when any linked population row says so (§4)
    SELECT k AS person, bool_or(deceased_on <= (date_trunc('month', to_date(:as_of::text, 'YYYYMM'))
                                                + interval '1 month - 1 day')::date) AS dead
    FROM (SELECT pg_temp.id_key(n, birth_date, :as_of) AS k, deceased_on
          FROM (SELECT p.*, pg_temp.id_norm(p.id_number) AS n
                FROM si_src.population p OFFSET 0) p) p
    WHERE k IS NOT NULL
    GROUP BY k
)
SELECT a.person, a.scheme, r.enrollment_id AS record, r.town, r.unit_id, r.worker_category,
       a.dups,
       ins.insured,
       ins.insured AND a.draws AS beneficiary,
       ins.insured AND NOT a.draws AND coalesce(r.worker_category, '') <> 'project'
           AND pg_temp.mi(:as_of) - greatest(coalesce(pg_temp.mi(a.p), -1), pg_temp.mi(r.start_month) - 1)
               >= CASE a.scheme WHEN '170' THEN 12 ELSE 3 END AS lapsed
FROM agg a
JOIN rec r USING (person, scheme)
LEFT JOIN dead d USING (person)
CROSS JOIN LATERAL (SELECT (a.any_open OR a.draws)
                           AND NOT coalesce(d.dead, false) AS insured) ins;
ANALYZE ps;

-- 5. Conflicts (§5): months paid in 170 and 110/120, or in 110 and 120.
CREATE TEMP TABLE conflict AS
WITH m AS (
    SELECT DISTINCT e.person, e.scheme, k.period
    FROM kept k JOIN enr e USING (enrollment_id)
    WHERE e.scheme IN ('110', '120', '170')
      AND e.person IN (SELECT person FROM enr WHERE scheme IN ('110','120','170')
                       GROUP BY person HAVING count(DISTINCT scheme) > 1)
), pm AS (
    SELECT person, period,
           bool_or(scheme = '110') AS s110, bool_or(scheme = '120') AS s120,
           bool_or(scheme = '170') AS s170
    FROM m GROUP BY person, period
), inv AS (
    SELECT person, '170' AS scheme FROM pm WHERE s170 AND (s110 OR s120)
    UNION SELECT person, '110' FROM pm WHERE s110 AND (s170 OR s120)
    UNION SELECT person, '120' FROM pm WHERE s120 AND (s170 OR s110)
), refund AS (
    SELECT e.person, sum(k.amt) AS refund_due
    FROM kept k JOIN enr e USING (enrollment_id)
    JOIN pm ON pm.person = e.person AND pm.period = k.period AND pm.s170 AND (pm.s110 OR pm.s120)
    WHERE e.scheme = '170'
    GROUP BY e.person
)
SELECT inv.person, inv.scheme,
       CASE WHEN inv.scheme = '170' THEN coalesce(r.refund_due, 0) ELSE 0 END AS refund_due
FROM inv LEFT JOIN refund r USING (person);

-- 6. 12-month contributions per person and scheme.
CREATE TEMP TABLE c12 AS
SELECT e.person, e.scheme, sum(k.amt) AS amt
FROM kept k JOIN enr e USING (enrollment_id)
WHERE k.period >= pg_temp.ym(pg_temp.mi(:as_of) - 11)
GROUP BY e.person, e.scheme;

CREATE TEMP TABLE psx AS
SELECT ps.*, (cf.person IS NOT NULL) AS conflict, coalesce(cf.refund_due, 0) AS refund_due,
       coalesce(c12.amt, 0) AS c12,
       emp.unit_id IS NOT NULL AS employer_known,
       CASE WHEN emp.injury_risk_class BETWEEN 1 AND 8 THEN emp.injury_risk_class::text
            ELSE 'unknown' END AS risk_class
FROM ps
LEFT JOIN conflict cf USING (person, scheme)
LEFT JOIN c12 USING (person, scheme)
LEFT JOIN si_src.employer emp ON emp.unit_id = ps.unit_id;

-- 7. The three extracts' rows.
\pset format unaligned
\pset fieldsep ','
\pset tuples_only on
\pset footer off
\qecho #pension
SELECT to_char(to_date(:as_of::text, 'YYYYMM'), 'YYYY-MM'), x.town, t.name, x.scheme,
       count(*) FILTER (WHERE insured),
       count(*) FILTER (WHERE insured AND NOT lapsed AND NOT beneficiary),
       count(*) FILTER (WHERE lapsed),
       count(*) FILTER (WHERE beneficiary),
       sum(dups), count(*) FILTER (WHERE conflict),
       to_char(sum(refund_due), 'FM9999999999990.00'), to_char(sum(c12), 'FM9999999999990.00')
FROM psx x JOIN town t ON t.code = x.town
WHERE x.scheme IN ('110', '120', '170')
GROUP BY x.town, t.name, x.scheme
ORDER BY x.town = 'unknown', x.town, x.scheme;
\qecho #unemployment
SELECT to_char(to_date(:as_of::text, 'YYYYMM'), 'YYYY-MM'), x.town, t.name,
       count(*) FILTER (WHERE insured),
       count(*) FILTER (WHERE insured AND NOT lapsed),
       count(*) FILTER (WHERE lapsed),
       count(DISTINCT unit_id) FILTER (WHERE insured AND employer_known),
       sum(dups), to_char(sum(c12), 'FM9999999999990.00')
FROM psx x JOIN town t ON t.code = x.town
WHERE x.scheme = '210'
GROUP BY x.town, t.name
ORDER BY x.town = 'unknown', x.town;
\qecho #injury
SELECT to_char(to_date(:as_of::text, 'YYYYMM'), 'YYYY-MM'), x.town, t.name, x.risk_class,
       count(*) FILTER (WHERE insured),
       count(*) FILTER (WHERE insured AND worker_category = 'project'),
       count(DISTINCT unit_id) FILTER (WHERE insured AND employer_known),
       count(*) FILTER (WHERE lapsed),
       to_char(sum(c12), 'FM9999999999990.00')
FROM psx x JOIN town t ON t.code = x.town
WHERE x.scheme = '410'
GROUP BY x.town, t.name, x.risk_class
ORDER BY x.town = 'unknown', x.town, x.risk_class = 'unknown', x.risk_class;
